print("redis-bench: not yet written")

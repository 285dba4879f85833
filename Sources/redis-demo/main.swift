// A short tour of AsyncRedis against the server whose URI is the first argument (scripts/demo.sh starts one).
import AsyncRedis

let uri = CommandLine.arguments.dropFirst().first ?? "redis://127.0.0.1:6379/0"
let clock = ContinuousClock()

print("connecting to \(uri)")
let connection = try await createConnection(try RedisAddress(uri))
print("connected to \(connection.address), db \(connection.db)")

_ = try await connection.execute("SET", "demo:greeting", "hello from AsyncRedis")
let greeting = try await connection.execute("GET", "demo:greeting", as: String.self)
print("SET/GET demo:greeting -> \(greeting)")

_ = try await connection.execute("SET", "demo:counter", 0)
let tasks = 10_000
let started = clock.now
try await withThrowingTaskGroup(of: Int.self) { group in
    for _ in 0..<tasks {
        group.addTask { try await connection.execute("INCR", "demo:counter", as: Int.self) }
    }
    var seen = Set<Int>()
    for try await value in group { seen.insert(value) }
    precondition(seen.count == tasks, "every INCR must get its own reply")
}
let elapsed = clock.now - started
let counter = try await connection.execute("GET", "demo:counter", as: Int.self)
print("\(tasks) concurrent INCRs on one connection took \(milliseconds(elapsed)) ms; counter = \(counter)")

do {
    _ = try await connection.execute("LPUSH", "demo:greeting", "x")
} catch let error as ReplyError {
    print("caught ReplyError with code \(error.code): \(error.message)")
}

_ = try await connection.execute("DEL", "demo:greeting", "demo:counter")
connection.close()
await connection.waitClosed()
print("closed")

func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
}

// swift-tools-version:6.1
// Allocation and instruction counts of AsyncRedis's hot paths, measured with package-benchmark.
// Run from the repository root:  swift package --package-path Benchmarks --scratch-path Benchmarks/.build benchmark
// (or `bash scripts/bench.sh --malloc`, which also starts the redis-server the round-trip benchmark needs).
import PackageDescription

let package = Package(
    name: "AsyncRedisBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "AsyncRedis", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "RedisBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AsyncRedis", package: "AsyncRedis"),
            ],
            path: "Benchmarks/RedisBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

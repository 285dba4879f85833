// swift-tools-version:6.1
import PackageDescription

// The sample service: a Hummingbird 2 app on AsyncRedis (rate limiter, cache, Pub/Sub fan-out, graceful
// shutdown, logs, Prometheus metrics). Its own package so that the library does not depend on Hummingbird.
let package = Package(
    name: "AsyncRedisExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named: a path dependency is otherwise known by its folder name, which differs between checkouts.
        .package(name: "AsyncRedis", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "SampleService",
            dependencies: [
                .product(name: "AsyncRedis", package: "AsyncRedis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

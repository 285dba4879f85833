// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AsyncRedis",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AsyncRedis", targets: ["AsyncRedis"]),
        .executable(name: "redis-demo", targets: ["redis-demo"]),
        .executable(name: "redis-bench", targets: ["redis-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "AsyncRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
        ),
        .executableTarget(name: "redis-demo", dependencies: ["AsyncRedis"]),
        .executableTarget(
            name: "redis-bench",
            dependencies: ["AsyncRedis", .product(name: "NIOPosix", package: "swift-nio")]
        ),
        // Helpers both test targets use (time limits, a scripted server); no server needed.
        .target(
            name: "AsyncRedisTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/AsyncRedisTestSupport"
        ),
        // No server: codec, state machines, address parsing, the channel handler on an EmbeddedChannel.
        .testTarget(
            name: "AsyncRedisUnitTests",
            dependencies: [
                "AsyncRedis", "AsyncRedisTestSupport", .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // Against the real servers scripts/test.sh starts.
        .testTarget(
            name: "AsyncRedisIntegrationTests",
            dependencies: [
                "AsyncRedis", "AsyncRedisTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

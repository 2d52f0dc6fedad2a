// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "fathom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fathom", targets: ["fathom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", .upToNextMinor(from: "0.12.1")),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        .target(
            name: "FathomCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FathomStore",
            dependencies: [
                "FathomCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FathomTools",
            dependencies: [
                "FathomCore", "FathomStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FathomLLM",
            dependencies: [
                "FathomCore", "FathomTools",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FathomAgents",
            dependencies: [
                "FathomCore", "FathomStore", "FathomTools", "FathomLLM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FathomMCP",
            dependencies: [
                "FathomCore", "FathomStore", "FathomTools", "FathomLLM", "FathomAgents",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FathomServer",
            dependencies: [
                "FathomCore", "FathomStore", "FathomTools", "FathomMCP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fathom",
            dependencies: [
                "FathomCore", "FathomStore", "FathomTools", "FathomMCP", "FathomServer", "FathomLLM", "FathomAgents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `make bench`: the agent loop's overhead per step with an instant model (bench/agents/run.py runs it).
        .executableTarget(
            name: "fathom-agent-bench",
            dependencies: ["FathomAgents", "FathomLLM", "FathomCore", "FathomStore", "FathomTools"],
            path: "bench/agents/Sources",
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomCoreTests",
            dependencies: ["FathomCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomStoreTests",
            dependencies: ["FathomStore", "FathomCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomToolsTests",
            dependencies: ["FathomTools"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomServerTests",
            dependencies: ["FathomServer", "FathomCore", "FathomStore", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: strict
        ),
        .target(
            name: "FathomTestSupport",
            dependencies: ["FathomCore", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/FathomTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomLLMTests",
            dependencies: ["FathomLLM", "FathomCore", "FathomTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomAgentsTests",
            dependencies: ["FathomAgents", "FathomLLM", "FathomCore", "FathomStore", "FathomTools", "FathomTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FathomMCPTests",
            dependencies: ["FathomMCP", .product(name: "MCP", package: "swift-sdk")],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)

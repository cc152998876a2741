// swift-tools-version: 6.1
import PackageDescription

// PlanKB: a core library (PlanKit, Foundation only) with thin targets around it:
// PlanIngest (HTML through libxml2, the one document loader), PlanIndex (SQLite through GRDB, PostgreSQL through
// postgres-nio), PlanMCP (the MCP server) and the `plankb` command-line tool.
// Release builds of our modules reach type metadata through accessor functions rather than mangled names: a
// mangled name is demangled at first use and its generic requirements are checked by a linear scan of the
// binary's ~12,000 protocol conformances, which was most of what a query command spends above its start-up
// (README, "Query as a command").
let metadataAccessors: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]
// The executables export none of their symbols: the static standard library's link arguments export every
// symbol of our modules and their dependencies (40,000), which the runtime's start-up then searched with
// dladdr and the dynamic loader bound one by one, in every command before it did anything.
let noExportedSymbols: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]

let package = Package(
    name: "PlanKB",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PlanKit", targets: ["PlanKit"]),
        .library(name: "PlanIngest", targets: ["PlanIngest"]),
        .library(name: "PlanIndex", targets: ["PlanIndex"]),
        .library(name: "PlanWeb", targets: ["PlanWeb"]),
        .executable(name: "plankb", targets: ["plankb"]),
        .executable(name: "plankb-server", targets: ["plankb-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // Tree, ids, normalisation, text ingest, segmentation, extraction, diff. No I/O-heavy dependency.
        .target(name: "PlanKit", swiftSettings: metadataAccessors),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The readers (HTML and XML through libxml2; DOCX and OFD through ZIPFoundation; PDF through poppler's
        // pdftohtml and DOC/WPS through LibreOffice, both as separate processes) and `DocumentLoader`, the one
        // entry point for every format.
        .target(name: "PlanIngest", dependencies: [
            "PlanKit", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: metadataAccessors),
        // The knowledge base behind one protocol: SQLite/ (FTS5 with a Chinese tokenizer) and PostgreSQL/ (tsvector
        // with the same tokens, BM25 in Swift), queries.
        .target(name: "PlanIndex", dependencies: [
            "PlanKit", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOCore", package: "swift-nio"),
        ], exclude: ["Text/make_fold_table.py"], swiftSettings: metadataAccessors),
        // `plankb serve`: server-rendered search, reading and compare pages plus a JSON API, on Hummingbird.
        .target(
            name: "PlanWeb",
            dependencies: [
                "PlanKit", "PlanIngest", "PlanIndex",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: metadataAccessors
        ),
        // `plankb mcp`: the Model Context Protocol server (tools and resources over stdio) on the MCP Swift SDK.
        .target(
            name: "PlanMCP",
            dependencies: ["PlanKit", "PlanIndex", .product(name: "MCP", package: "swift-sdk")],
            swiftSettings: metadataAccessors
        ),
        // What both command-line binaries share: --db, help layout, terminal widths, the entry point.
        .target(
            name: "PlanCommandLine",
            dependencies: ["PlanKit", "PlanIndex", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: metadataAccessors
        ),
        .executableTarget(
            name: "plankb",
            dependencies: [
                "PlanKit", "PlanIngest", "PlanIndex", "PlanCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: metadataAccessors,
            linkerSettings: noExportedSymbols
        ),
        // plankb serve and plankb mcp, which plankb runs in this binary: the web server and the MCP SDK (and,
        // through the SDK, Foundation's networking and libcurl) stay out of every other command's start-up.
        .executableTarget(
            name: "plankb-server",
            dependencies: [
                "PlanIndex", "PlanWeb", "PlanMCP", "PlanCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: metadataAccessors,
            linkerSettings: noExportedSymbols
        ),
        .testTarget(name: "PlanKitTests", dependencies: ["PlanKit"]),
        // ZIPFoundation: the DOCX and hostile-archive tests build damaged packages in memory.
        .testTarget(name: "PlanIngestTests", dependencies: [
            "PlanIngest", "PlanKit", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // PostgresNIO: a test lets a knowledge base go on one of its event loops.
        .testTarget(name: "PlanIndexTests", dependencies: [
            "PlanIndex", "PlanIngest", "PlanKit", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(
            name: "PlanWebTests",
            dependencies: [
                "PlanWeb", "PlanIndex", "PlanIngest", "PlanKit",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "PlankbCLITests", dependencies: [
            "PlanKit", "PlanIngest", "plankb", "plankb-server", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

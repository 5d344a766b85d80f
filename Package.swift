// swift-tools-version: 6.0
// mpyforge: compile, link and publish MicroPython native modules (.mpy) in one tool.
// The pipeline is one library target per stage; the `mpyforge` executable only parses
// arguments and renders results.
import PackageDescription

let package = Package(
    name: "mpyforge",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mpyforge", targets: ["mpyforge"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libelf (libelf-dev) as a Swift module: the only way we read ELF.
        .systemLibrary(name: "CLibElf", path: "Sources/CLibElf", pkgConfig: "libelf"),
        // Relocatable objects and static archives, read through libelf.
        .target(name: "ELFReader", dependencies: ["CLibElf"]),
        // The .mpy container: encoders, decoders, MicroPython's ABI facts, merging.
        .target(name: "MPYFormat"),
        // The native-module linker: generic passes plus one backend per arch family.
        .target(name: "Linker", dependencies: ["ELFReader", "MPYFormat"]),
        // Running other programs (compilers, make, mpremote, objdump, curl, tar): the one place
        // that starts a process, reads its pipes and stops it at a deadline.
        .target(name: "Subprocess"),
        // Compilers per architecture: discovery, flags, doctor.
        .target(name: "Toolchain", dependencies: ["MPYFormat", "Subprocess"]),
        // Downloads vendors' prebuilt toolchains into the per-user cache (`mpyforge toolchain`).
        // The table of URLs and digests is data, compiled in from toolchains.json.
        .target(name: "ToolchainInstaller", dependencies: ["Toolchain", "Subprocess", "Digest", "MPYFormat"],
                resources: [.embedInCode("toolchains.json")]),
        // Content hashes (SHA-256, computed by swift-crypto) for the build cache and the package index.
        .target(name: "Digest", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Module manifests, the build plan, qstr collection, compile/link jobs.
        .target(name: "BuildSystem", dependencies: [
            "Toolchain", "Subprocess", "Linker", "MPYFormat", "Digest", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // libopcodes (binutils) as a Swift module, for disassembly.
        .systemLibrary(name: "CLibOpcodes", path: "Sources/CLibOpcodes"),
        // Seeing inside .mpy files and explaining incompatibilities (inspect, check).
        .target(name: "Inspector", dependencies: ["MPYFormat", "CLibOpcodes", "Subprocess"]),
        // The mip-compatible package index (publish, verify, serve).
        .target(name: "PackageIndex", dependencies: ["MPYFormat", "Digest"]),
        // Installing from a published index: picking the build a board loads, fetching it.
        .target(name: "ModuleInstaller", dependencies: ["PackageIndex", "Inspector", "MPYFormat", "Digest", "Toolchain", "Subprocess"]),
        // `serve`: the index over HTTP, event-driven on SwiftNIO. Its own target, so publish
        // and verify do not pull in NIO; request parsing and routing stay in PackageIndex.
        .target(
            name: "IndexServer",
            dependencies: [
                "PackageIndex",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "mpyforge",
            dependencies: [
                "BuildSystem", "Linker", "MPYFormat", "Toolchain", "ToolchainInstaller", "Inspector", "PackageIndex",
                "IndexServer", "ModuleInstaller",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ELFReaderTests", dependencies: ["ELFReader"]),
        .testTarget(name: "MPYFormatTests", dependencies: ["MPYFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "LinkerTests", dependencies: ["Linker", "ELFReader", "MPYFormat", "Toolchain"], exclude: ["Fixtures"]),
        .testTarget(name: "BuildSystemTests", dependencies: ["BuildSystem", "MPYFormat", "Toolchain"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "ToolchainInstallerTests", dependencies: ["ToolchainInstaller", "Toolchain", "MPYFormat", "Digest"]),
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "MPYFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "PackageIndexTests", dependencies: ["PackageIndex", "IndexServer", "Digest"]),
        .testTarget(name: "ModuleInstallerTests", dependencies: ["ModuleInstaller", "PackageIndex", "Inspector"]),
    ]
)

import MPYFormat

/// The first bytes of any .mpy, of any format version: enough to judge whether a firmware
/// loads it. Unlike `MPYReader` this accepts versions other than 6, to name their releases.
public struct MPYHeaderFacts: Equatable, Sendable {
    public var version: UInt8
    public var featureByte: UInt8
    public var smallIntBits: UInt8
    /// Version 6 only: the arch-flags varint when the feature byte announces one.
    public var archFlags: Int?

    public var archCode: UInt8 { (featureByte >> 2) & 0x2F }
    /// Version 6 only; earlier versions used these bits for other flags.
    public var subVersion: UInt8 { featureByte & 3 }
    public var hasNativeCode: Bool { archCode != 0 }

    public init(_ bytes: [UInt8]) throws(MPYDecodeError) {
        let names = ["header magic", "header version", "header feature byte", "header small-int bits"]
        for (index, name) in names.enumerated() where index >= bytes.count {
            throw MPYDecodeError(offset: bytes.count, problem: .truncated(expected: name))
        }
        guard bytes[0] == MPY.magic else { throw MPYDecodeError(offset: 0, problem: .badMagic(found: bytes[0])) }
        version = bytes[1]
        featureByte = bytes[2]
        smallIntBits = bytes[3]
        archFlags = nil
        if version == MPY.version, featureByte & MPY.archFlagsPresent != 0 {
            archFlags = try MPYHeaderFacts.readVarUInt(bytes, from: 4)
        }
    }

    private static func readVarUInt(_ bytes: [UInt8], from start: Int) throws(MPYDecodeError) -> Int {
        var value = 0
        var offset = start
        while true {
            guard offset < bytes.count else { throw MPYDecodeError(offset: offset, problem: .truncated(expected: "arch flags")) }
            guard value >> 56 == 0 else { throw MPYDecodeError(offset: start, problem: .varIntOverflow(expected: "arch flags")) }
            let byte = bytes[offset]
            value = value << 7 | Int(byte & 0x7F)
            offset += 1
            if byte & 0x80 == 0 { return value }
        }
    }
}

/// The relocation stream of a native viper raw code. Each entry is one byte
/// `kind << 1 | has_offset` (kinds 0-2 use `kind << 2 | has_count << 1 | has_offset`),
/// then the word offset `offset << 1 | region`, then the count for runs of kinds 0-2. The
/// stream ends with 0xFF. Runs of one kind on consecutive words are merged into one entry.
///
/// The loader lets an entry leave out its offset when it continues right after the previous
/// entry's last word, which would save 2-60 bytes a module; upstream mpy_ld.py never does
/// that (its "previous base" is never updated), and files identical to upstream's matter
/// more, so every entry carries its offset (`compact: false`, the default).
public enum RelocationStream {
    public static func encode(_ relocations: [NativeRelocation], wordSize: Int, compact: Bool = false) -> [UInt8] {
        var runs: [(region: NativeRelocation.Region, firstWord: Int, kind: Int, count: Int)] = []
        for relocation in relocations {
            let word = relocation.offset / wordSize
            let kind = relocation.target.kind
            if let last = runs.last, last.kind == kind, last.region == relocation.region,
               word == last.firstWord + last.count {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((relocation.region, word, kind, 1))
            }
        }
        var out: [UInt8] = []
        var cursor = Cursor(compact: compact)
        for run in runs {
            if run.kind > 2 {
                // Kinds above 2 have no count field: a run becomes one entry per word.
                for i in 0..<run.count {
                    out += entry(region: run.region, word: run.firstWord + i, kind: run.kind, count: 1, cursor: &cursor)
                }
            } else {
                out += entry(region: run.region, word: run.firstWord, kind: run.kind, count: run.count, cursor: &cursor)
            }
        }
        out.append(MPY.relocationEnd)
        return out
    }

    /// The position just after the previous entry, which lets an entry omit its offset.
    private struct Cursor {
        let compact: Bool
        var region: NativeRelocation.Region? = nil
        var lastWord = -1
    }

    private static func entry(region: NativeRelocation.Region, word: Int, kind: Int, count: Int,
                              cursor: inout Cursor) -> [UInt8] {
        let hasOffset = !(cursor.compact && cursor.region == region && word == cursor.lastWord + 1)
        cursor.region = region
        cursor.lastWord = word + count - 1
        var op = kind <= 2 ? (kind << 1 | (count > 1 ? 1 : 0)) : kind
        op = op << 1 | (hasOffset ? 1 : 0)
        var out: [UInt8] = [UInt8(truncatingIfNeeded: op)]
        if hasOffset { out += VarInt.encode(UInt(word) << 1 | region.rawValue) }
        if count > 1 { out += VarInt.encode(count) }
        return out
    }
}

/// Which MicroPython releases write and read each .mpy version (the table in MicroPython's
/// docs/reference/mpyfiles.rst, up to MicroPython 1.29).
public enum MPYVersionReleases {
    public static func releases(version: UInt8, subVersion: UInt8?) -> String {
        switch (version, subVersion) {
        case (6, 3?): return "MicroPython 1.23 and later"
        case (6, 2?): return "MicroPython 1.22"
        case (6, 1?): return "MicroPython 1.20-1.21"
        case (6, 0?): return "MicroPython 1.19"
        case (6, _): return "MicroPython 1.19 and later"
        case (5, _): return "MicroPython 1.12-1.18"
        case (4, _): return "MicroPython 1.11"
        case (3, _): return "MicroPython 1.9.3-1.10"
        case (2, _): return "MicroPython 1.9-1.9.2"
        case (1, _): return "MicroPython 1.5.1-1.8.7"
        case (0, _): return "MicroPython 1.5"
        default: return "no MicroPython release known to mpyforge"
        }
    }
}

/// mpyforge's version: the one place it is written. `mpyforge --version`, `build --json`,
/// the build cache's tool identity, publish's index.json and scripts/wheel (which reads it
/// from this file) all take it from here.
public enum MPYForgeVersion {
    public static let current = "0.1.0"
}

/// The direction of a stream read.
public enum ReadDirection: Hashable, Sendable {
    /// From older to newer versions.
    case forward
    /// From newer to older versions.
    case backward
}

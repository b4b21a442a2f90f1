/// How an LMDB store makes commits durable.
public enum LMDBDurability: Hashable, Sendable {
    /// Every commit is flushed to disk before the append returns (fsync). The default.
    case durable
    /// Commits are not flushed one by one: an append is acknowledged once its
    /// transaction commits to the page cache. A system crash may lose the
    /// latest commits (never corrupt the store); a process crash loses
    /// nothing. Flushed by ``LMDBEventStore/sync()`` and on close. For bulk import.
    case relaxed
}

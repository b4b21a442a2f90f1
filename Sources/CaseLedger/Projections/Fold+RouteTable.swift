import Foundation

extension Fold {
    /// An open-addressing table from (type name bytes, schema version) to the
    /// targets of that kind of record, so a record's route is found by
    /// hashing its type's bytes in place, without making a String.
    struct RouteTable {
        private var slots = [Int](repeating: -1, count: 64)
        private var keys: [[UInt8]] = []
        private var versions: [UInt16] = []
        private var hashes: [UInt64] = []
        private(set) var targets: [[Target]] = []

        private static func hash(_ bytes: UnsafeRawBufferPointer, _ version: UInt16) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(version)
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            return h
        }

        /// The route's index, if the kind of record was seen before.
        func find(type: UnsafeRawBufferPointer, schemaVersion: UInt16) -> Int? {
            let h = Self.hash(type, schemaVersion)
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let r = slots[i]
                if r < 0 { return nil }
                if hashes[r] == h && versions[r] == schemaVersion && keys[r].withUnsafeBytes({ $0.bytesEqual(type) }) {
                    return r
                }
                i = (i + 1) & mask
            }
        }

        /// Adds the route of a kind of record not seen before.
        mutating func insert(type: UnsafeRawBufferPointer, schemaVersion: UInt16, targets routeTargets: [Target]) -> Int {
            let h = Self.hash(type, schemaVersion)
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            let r = targets.count
            keys.append(Array(type))
            versions.append(schemaVersion)
            hashes.append(h)
            targets.append(routeTargets)
            slots[i] = r
            if targets.count * 2 > slots.count { grow() }
            return r
        }

        private mutating func grow() {
            slots = [Int](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for r in 0..<targets.count {
                var i = Int(truncatingIfNeeded: hashes[r]) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                slots[i] = r
            }
        }
    }
}

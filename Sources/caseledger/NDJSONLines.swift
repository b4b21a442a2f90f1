import Foundation

/// Reads a file line by line in constant memory.
struct NDJSONLines: Sequence {
    let handle: FileHandle

    struct Iterator: IteratorProtocol {
        let handle: FileHandle
        var buffer = Data()
        var done = false

        mutating func next() -> Substring? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer.removeSubrange(buffer.startIndex...newline)
                    if line.isEmpty { continue }
                    return Substring(String(decoding: line, as: UTF8.self))
                }
                if done {
                    guard !buffer.isEmpty else { return nil }
                    defer { buffer.removeAll() }
                    return Substring(String(decoding: buffer, as: UTF8.self))
                }
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { done = true } else { buffer.append(chunk) }
            }
        }
    }

    func makeIterator() -> Iterator { Iterator(handle: handle) }
}

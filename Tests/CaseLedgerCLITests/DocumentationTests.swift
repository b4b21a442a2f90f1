import Foundation
import Testing

@Suite("The documentation stands alone")
struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Markdown files a reader of the repository meets.
    static var documents: [URL] {
        let docs = (try? FileManager.default.contentsOfDirectory(at: root.appendingPathComponent("docs"), includingPropertiesForKeys: nil)) ?? []
        return [root.appendingPathComponent("README.md")] + docs.filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
    }

    @Test("every link in the README and docs/ resolves inside the repository")
    func links() throws {
        #expect(Self.documents.count >= 3)
        let link = /\]\(([^)\s]+)\)/
        var checked = 0
        for document in Self.documents {
            let text = try String(contentsOf: document, encoding: .utf8)
            for match in text.matches(of: link) {
                let target = String(match.1)
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { continue }
                let path = String(target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                if path.isEmpty { continue }  // an anchor in the same file
                let resolved = document.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                #expect(resolved.path.hasPrefix(Self.root.standardizedFileURL.path + "/"),
                        "\(document.lastPathComponent) links outside the repository: \(target)")
                #expect(FileManager.default.fileExists(atPath: resolved.path), "\(document.lastPathComponent) links to a missing file: \(target)")
                checked += 1
            }
        }
        #expect(checked >= 20, "the links were found (\(checked))")
    }
}

/// A copyright or public-domain notice that a site appended after the document (版权声明), such as Wikisource's
/// "本作品是中华人民共和国的法律、法规……属于公有领域。" with its "注：中文维基文库社群认为……" and the
/// "Public domain / false" remains of its template: site chrome in plain text, not part of the document.
enum LicenseNotice {
    /// How far from the end a notice is looked for, in blocks.
    static let reach = 8

    /// Drops a notice that ends the text, with everything after it if that is only its own remains; returns a
    /// note saying what was dropped and where, or nil when the text does not end with such a notice.
    static func strip(_ blocks: inout [Block]) -> Diagnostic? {
        let tail = max(0, blocks.count - reach)..<blocks.count
        guard let start = tail.first(where: { isNotice(blocks[$0].text) }),
              blocks[(start + 1)...].allSatisfy({ isRemains($0.text) })
        else { return nil }
        let first = blocks[start]
        let dropped = blocks.count - start
        blocks.removeSubrange(start...)
        return Diagnostic(.note, "ingest.license-notice-dropped",
                          "dropped the site's license notice at the end (“\(String(first.text.prefix(12)))…”"
                            + (dropped > 1 ? " and \(dropped - 1) block(s) after it" : "") + ")",
                          at: first.span.start)
    }

    /// A statement about the work's copyright status: it speaks of "this work" and of the public domain or the
    /// copyright law.
    static func isNotice(_ text: String) -> Bool {
        text.hasPrefix("本作品") && (text.contains("公有领域") || text.contains("著作权法"))
    }

    /// What may follow a notice: the wiki community's note on it, or the bare words a license template leaves
    /// behind ("Public domain", "false").
    static func isRemains(_ text: String) -> Bool {
        if text.hasPrefix("注") && text.contains("维基文库") { return true }
        return text.count <= 60 && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == " ") }
    }
}

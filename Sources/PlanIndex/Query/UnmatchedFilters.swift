import Foundation

extension KnowledgeBase {
    /// Why a search finds nothing whatever its query: a document filter (`--doc`, `--issuer`) that matches no
    /// document of the knowledge base, said in a line each ("no document's key, title or path contains
    /// “沈阳市规划”"). Empty when every filter matches some document. Asked only when a search has no hits, so
    /// that a misspelt `--doc` is not taken for a term the documents do not hold.
    ///
    /// The test is the backends' own (a key equal to the text, or a title or path containing it; an issuer
    /// containing it), with case folded more widely than SQL's LIKE folds it: a filter it calls unmatched matches
    /// nothing there either.
    public func unmatchedDocumentFilters(of request: SearchRequest) throws -> [String] {
        guard request.document != nil || request.issuer != nil else { return [] }
        let documents = try self.documents()
        func contains(_ text: String?, _ part: String) -> Bool { (text ?? "").range(of: part, options: .caseInsensitive) != nil }
        var unmatched: [String] = []
        if let document = request.document,
           !documents.contains(where: { $0.key == document || contains($0.title, document) || contains($0.source, document) }) {
            unmatched.append("no document's key, title or path contains “\(document)”")
        }
        if let issuer = request.issuer, !documents.contains(where: { contains($0.issuer, issuer) }) {
            unmatched.append("no document's issuer (发文机关) contains “\(issuer)”")
        }
        return unmatched
    }
}

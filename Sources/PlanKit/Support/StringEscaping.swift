extension String {
    /// This string with each scalar that `replacements` names replaced by its string, all in one pass: the
    /// quoting of FTS5 strings, LIKE patterns, tsquery lexemes and CSV fields. Scalar by scalar, every
    /// occurrence is caught (a quote followed by a combining mark too), and no NSString bridging is paid —
    /// Foundation's `replacingOccurrences` costs a command-line call more on its first use than the rest of its
    /// output formatting.
    public func replacingScalars(_ replacements: [Unicode.Scalar: String]) -> String {
        guard unicodeScalars.contains(where: { replacements[$0] != nil }) else { return self }
        var result = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if let replacement = replacements[scalar] {
                result.append(contentsOf: replacement.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

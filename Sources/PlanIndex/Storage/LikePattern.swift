/// A `LIKE … ESCAPE '\'` pattern that matches any text containing `text` literally: `%` and `_` in it are
/// escaped, as is the escape character. Both backends filter documents by title, source and issuer with it.
func likePattern(containing text: String) -> String {
    "%" + text.replacingScalars(["\\": "\\\\", "%": "\\%", "_": "\\_"]) + "%"
}

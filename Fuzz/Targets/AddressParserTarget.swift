// The address parser's fuzz target (see FuzzEntry.swift). Whatever the text, parsing must not
// trap, and nothing shown of the result or of the error may contain the password the URI's user information holds.

/// The password of `scheme://user:password@host` as written, when it is long enough to be told apart from the
/// rest of the text (a short or all-digit one could be a host or a port by chance).
private func writtenPassword(_ text: String) -> String? {
    guard let separator = text.firstRange(of: "://"), !text[..<separator.lowerBound].isEmpty,
        text[..<separator.lowerBound].allSatisfy({ $0.isASCII && $0.isLetter }),
        let at = text.lastIndex(of: "@"), separator.upperBound < at,
        let colon = text[separator.upperBound..<at].firstIndex(of: ":")
    else { return nil }
    let schemeEnd = separator.upperBound
    // `unix:///a:b@c` is a socket path, not user information.
    guard !text[schemeEnd...].hasPrefix("/") else { return nil }
    // An `@` in a query value (`?username=me@example.org`) is data: what precedes it is no password.
    if let query = text[schemeEnd..<at].firstIndex(of: "?"), text[query..<at].contains("=") { return nil }
    let password = String(text[text.index(after: colon)..<at])
    guard password.count >= 6, !password.allSatisfy(\.isNumber), !text[at...].contains(password),
        !text[..<colon].contains(password)
    else { return nil }
    return password
}

/// What can be shown of `text` parsed as an address: its description, debug description and dump, or the error.
private func renderings(of text: String) -> [String] {
    do {
        let address = try RedisAddress(text)
        var dumped = ""
        dump(address, to: &dumped)
        return [address.description, String(reflecting: address), dumped]
    } catch {
        return [String(describing: error)]
    }
}

func fuzzAddressParser(_ input: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: input, as: UTF8.self)
    let shown = renderings(of: text)
    guard let password = writtenPassword(text), let leak = shown.first(where: { $0.contains(password) }) else {
        return
    }
    // The password's text may be in the message for another reason (`valkey` in the list of schemes): it leaked
    // only if it disappears once the password is written differently.
    let other: Character = password.contains("Z") ? "Q" : "Z"
    let masked = text.replacing(password, with: String(repeating: other, count: password.count))
    guard !renderings(of: masked).contains(where: { $0.contains(password) }) else { return }
    fatalError("the password of \(text.debugDescription) shows in \(leak.debugDescription)")
}

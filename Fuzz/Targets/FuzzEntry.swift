#if canImport(Glibc)
import Glibc
#endif

// The libFuzzer entry point. scripts/fuzz.sh compiles the library's sources and these files into one binary, once,
// and runs it once per target: ASYNCREDIS_FUZZ_TARGET names the target (`resp` or `address`).

private enum FuzzTarget {
    case resp, address

    static let selected: FuzzTarget = {
        switch getenv("ASYNCREDIS_FUZZ_TARGET").map({ String(cString: $0) }) {
        case "resp": return .resp
        case "address": return .address
        default: fatalError("set ASYNCREDIS_FUZZ_TARGET to resp or address")
        }
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    switch FuzzTarget.selected {
    case .resp: fuzzRESPDecoder(input)
    case .address: fuzzAddressParser(input)
    }
    return 0
}

import FathomCore
import Testing

@Suite struct RedactorTests {
    let redactor = Redactor()

    @Test(arguments: [
        "Authorization: Bearer abcdefghijklmnop0123",
        "postgres://admin:hunter2secret@db.internal:5432/app",
        "password=hunter2secret",
        "export API_KEY='s3cr3t-value-here'",
        "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "aws AKIAIOSFODNN7EXAMPLE",
        "github ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    ])
    func masksSecretsInText(text: String) {
        let masked = redactor.redact(text)
        #expect(masked.contains(Redactor.mask))
        for secret in ["hunter2secret", "s3cr3t-value-here", "abcdefghijklmnop0123", "AKIAIOSFODNN7EXAMPLE", "MIIEowIBAAKCAQEA", "dozjgNryP4J3"] {
            #expect(!masked.contains(secret))
        }
    }

    @Test func leavesOrdinaryTextAlone() {
        let text = "read_text_file /var/log/syslog head=20 at 10:42"
        #expect(redactor.redact(text) == text)
    }

    @Test func masksSecretNamedKeysInJSON() {
        let value: JSONValue = ["path": "a.txt", "password": "pw", "nested": ["apiToken": "t", "n": 1]]
        let masked = redactor.redact(value)
        #expect(masked["path"] == "a.txt")
        #expect(masked["password"] == .string(Redactor.mask))
        #expect(masked["nested"]?["apiToken"] == .string(Redactor.mask))
        #expect(masked["nested"]?["n"] == 1)
    }
}

@Suite struct RedactorHostileInputTests {
    let redactor = Redactor()

    @Test func secretsInsideJSONTextAndOddSpellingsAreMasked() {
        let masked = redactor.redact(#"{"db":{"password":"hunter2"},"passphrase":"opensesame","pwd":"x9"}"#)
        #expect(!masked.contains("hunter2") && !masked.contains("opensesame") && !masked.contains("x9"))
        #expect(masked.contains(#""password":"[REDACTED]""#))
        let url = redactor.redact("postgres://app:p@ssw0rd@db:5432/x")
        #expect(!url.contains("ssw0rd"))
        let pgp = redactor.redact("-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0\n-----END PGP PRIVATE KEY BLOCK-----")
        #expect(!pgp.contains("lQOYBF0"))
        let cut = redactor.redact("-----BEGIN RSA PRIVATE KEY-----\nMIIEow-partial")
        #expect(!cut.contains("MIIEow"))
    }

    @Test func pathologicalInputIsLinear() {
        // 60 KB of near-misses for every rule; the old key=value pattern needed minutes for 6 KB.
        let hostile = String(repeating: "token.", count: 5000) + " " + String(repeating: "a://b:", count: 5000)
        // Nothing in it is a secret, so it must come back unchanged (and in time). Compared as a Bool
        // so a failure does not print 60 KB.
        let unchanged = redactor.redact(hostile) == hostile
        #expect(unchanged)
    }
}

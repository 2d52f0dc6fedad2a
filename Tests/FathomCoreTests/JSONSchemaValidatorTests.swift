import FathomCore
import Testing

@Suite struct JSONSchemaValidatorTests {
    let schema: JSONValue = [
        "type": "object",
        "properties": [
            "path": ["type": "string", "minLength": 1],
            "head": ["type": "integer", "minimum": 1],
            "sortBy": ["type": "string", "enum": ["name", "size"]],
            "paths": ["type": "array", "items": ["type": "string"], "maxItems": 2],
        ],
        "required": ["path"],
        "additionalProperties": false,
    ]

    @Test func acceptsAConformingObject() {
        #expect(JSONSchemaValidator(schema).validate(["path": "a", "head": 3, "sortBy": "size"]).isEmpty)
    }

    @Test func namesTheMissingRequiredProperty() {
        #expect(JSONSchemaValidator(schema).validate([:]) == ["$: missing required property 'path'"])
    }

    @Test func reportsWrongTypesWithTheirPath() {
        let errors = JSONSchemaValidator(schema).validate(["path": 5], root: "arguments")
        #expect(errors == ["arguments.path: expected string, got integer"])
    }

    @Test func rejectsUnknownPropertiesAndListsTheKnownOnes() {
        let errors = JSONSchemaValidator(schema).validate(["path": "a", "pth": "b"])
        #expect(errors.count == 1)
        #expect(errors[0].contains("unknown property 'pth'"))
        #expect(errors[0].contains("path"))
    }

    @Test func checksBoundsEnumsAndItems() {
        let errors = JSONSchemaValidator(schema).validate(["path": "", "head": 0, "sortBy": "date", "paths": ["a", 1, "c"]])
        #expect(errors.contains("$.path: must be at least 1 characters"))
        #expect(errors.contains("$.head: must be ≥ 1"))
        #expect(errors.contains { $0.hasPrefix("$.sortBy: must be one of") })
        #expect(errors.contains("$.paths: allows at most 2 items, got 3"))
        #expect(errors.contains("$.paths[1]: expected string, got integer"))
    }

    @Test func wholeNumberDoublesCountAsIntegersButFractionsDoNot() {
        let validator = JSONSchemaValidator(["type": "integer"])
        #expect(validator.validate(.double(3.0)).isEmpty)
        #expect(!validator.validate(.double(3.5)).isEmpty)
        #expect(!validator.validate(.bool(true)).isEmpty)
    }

    @Test func anyOfNeedsOneMatchingShape() {
        let validator = JSONSchemaValidator(["anyOf": [["type": "string"], ["type": "integer"]]])
        #expect(validator.validate("x").isEmpty)
        #expect(validator.validate(.array([])) == ["$: matches none of the allowed shapes"])
    }

    @Test func deeplyNestedHostileInputStopsWithAnError() {
        var value: JSONValue = "leaf"
        for _ in 0..<200 { value = .array([value]) }
        var nested: JSONValue = ["type": "string"]
        for _ in 0..<200 { nested = ["type": "array", "items": nested] }
        let errors = JSONSchemaValidator(nested).validate(value)
        #expect(errors.contains { $0.contains("nested too deeply") })
    }
}

import Testing

@testable import BlindspotStore

@Suite(.timeLimit(.minutes(1))) struct RegionTests {
  @Test(arguments: ["cn", "eu", "us"]) func knownRegionsValidate(name: String) throws {
    #expect(try Region(validating: name).rawValue == name)
  }

  @Test(arguments: ["EU", "europe", "", "xx", "eu "]) func unknownRegionsAreConfigurationErrors(name: String) {
    // When an unknown name is validated, then it is a one-line configuration error (exit 1)
    #expect {
      try Region(validating: name)
    } throws: { error in
      let error = error as! StoreError
      return error.kind == .configuration && error.exitCode == 1 && error.description.contains("unknown region")
        && !error.description.contains("\n")
    }
  }

  @Test func exitCodesFollowTheDesign() {
    #expect(StoreError(.configuration, "").exitCode == 1)
    #expect(StoreError(.rejected, "").exitCode == 1)
    #expect(StoreError(.conflict, "").exitCode == 2)
    #expect(StoreError(.policy, "").exitCode == 3)
    #expect(StoreError(.unavailable, "").exitCode == 4)
    #expect(StoreError(.unavailable, "").isRetryable && !StoreError(.rejected, "").isRetryable)
  }
}

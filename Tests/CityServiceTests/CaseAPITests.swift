import CaseLedger
import Foundation
import Hummingbird
import Testing
@testable import CityService

@Suite("City service: ratings, check-ups and enforcement through the API")
struct CaseAPITests {
    @Test("a rating shows in the unit's and the officer's scores")
    func ratings() async throws {
        try await CityHarness.with { city in
            let rated = try await city.post("/api/ratings", as: "citizen", #"{"ratingID": "r-1", "unitID": "unit-001", "officerID": "officer-u1", "score": 4}"#)
            #expect(rated.status == .created, "\(rated.text)")
            let unit = try await city.get("/api/units/unit-001?after=\(rated.position)", as: "auditor")
            #expect((unit.json["score"] as? [String: Any])?["count"] as? Int == 1, "\(unit.text)")
            let officer = try await city.get("/api/officers/officer-u1?after=\(rated.position)", as: "unit")
            #expect((officer.json["score"] as? [String: Any])?["sum"] as? Int == 4, "\(officer.text)")
            let invalid = try await city.post("/api/ratings", as: "citizen", #"{"ratingID": "r-2", "unitID": "unit-001", "score": 0}"#)
            #expect(invalid.status == .unprocessableContent && invalid.error == "invalidRating")
            #expect(try await city.get("/api/units/unit-404", as: "auditor").status == .notFound)
        }
    }

    @Test("a check-up from scheduling to its report and training; the enterprise's register shows it")
    func checkup() async throws {
        try await CityHarness.with { city in
            let steps: [(String, String)] = [
                ("schedule", #"{"enterpriseID": "ent-7", "centerID": "center-village-0001", "lawyer": "lawyer-3", "at": "2025-05-01T09:00:00Z"}"#),
                ("conduct", #"{"areas": ["labourRights", "compliance"]}"#),
                ("find", #"{"pointID": "p-1", "area": "compliance", "severity": "high", "description": "no whistle-blower channel"}"#),
                ("advise", #"{"pointID": "p-1", "advice": "open one"}"#),
                ("rectify", #"{"pointID": "p-1", "verifiedBy": "lawyer-3"}"#),
                ("report", #"{"reportID": "rep-1"}"#),
                ("train", #"{"topic": "labour law", "attendees": 12}"#),
            ]
            var last = CityHarness.Reply(status: .ok, text: "", etag: nil)
            for (command, body) in steps {
                last = try await city.post("/api/checkups/C-7/\(command)", as: "center", body)
                #expect(last.status == .created, "\(command): \(last.text)")
            }
            let register = try await city.get("/api/enterprises/ent-7/checkups?after=\(last.position)", as: "auditor")
            let entry = register.json["register"] as? [String: Any]
            #expect(entry?["pointsFound"] as? Int == 1 && entry?["pointsRectified"] as? Int == 1 && entry?["reports"] as? Int == 1, "\(register.text)")
            let twice = try await city.post("/api/checkups/C-7/rectify", as: "center", #"{"pointID": "p-1", "verifiedBy": "lawyer-3"}"#)
            #expect(twice.status == .conflict && twice.error == "riskPointAlreadyClosed", "\(twice.text)")
        }
    }

    @Test("an enforcement case through the decision, the three documents, publicity and credit repair; the penalty register shows it")
    func enforcement() async throws {
        try await CityHarness.with { city in
            let open = """
                {"department": "market-regulation", "enterpriseID": "ent-9", "violation": "late filing", "legalBasis": "art. 3",
                 "fineMinimum": 1000, "fineMaximum": 5000}
                """
            let steps: [(String, String)] = [
                ("open", open),
                ("assess-impact", #"{"summary": "small shop", "jobsAffected": 4}"#),
                ("inspect", #"{"departments": ["market-regulation", "tax"]}"#),
                ("decide", #"{"list": "lighter", "fine": 2000, "reasoning": {"facts": "filed 3 days late", "legalBasis": "art. 3", "listItem": "first minor violation"}}"#),
                ("deliver", #"{"decisionDocument": "doc-1", "creditRepairNotice": "notice-1", "complianceAdviceLetter": "letter-1"}"#),
                ("publicize", #"{"publicityID": "pub-1"}"#),
                ("apply-credit-repair", "{}"),
                ("repair-credit", "{}"),
            ]
            var last = CityHarness.Reply(status: .ok, text: "", etag: nil)
            for (command, body) in steps {
                last = try await city.post("/api/cases/E-9/\(command)", as: "department", body)
                #expect(last.status == .created, "\(command): \(last.text)")
            }
            let register = try await city.get("/api/enterprises/ent-9/penalties?after=\(last.position)", as: "auditor")
            #expect((register.json["byList"] as? [String: Any])?["lighter"] as? Int == 1, "\(register.text)")
            let row = (register.json["cases"] as? [[String: Any]])?.first
            #expect(row?["caseID"] as? String == "E-9", "\(register.text)")
            #expect((row?["row"] as? [String: Any])?["delivered"] as? Bool == true)
            let report = try await city.get("/api/report?after=\(last.position)", as: "auditor")
            let enforcement = report.json["enforcement"] as? [String: Any]
            #expect(enforcement?["threeDocumentsTogetherRate"] as? Double == 1 && enforcement?["creditRepairsDone"] as? Int == 1, "\(report.text)")

            let missing = try await city.post("/api/cases/E-10/open", as: "department", open)
            #expect(missing.status == .created)
            try await city.post("/api/cases/E-10/assess-impact", as: "department", #"{"jobsAffected": 1}"#)
            try await city.post("/api/cases/E-10/inspect", as: "department", #"{"departments": ["market-regulation", "tax"]}"#)
            let wrongFine = try await city.post("/api/cases/E-10/decide", as: "department",
                                                #"{"list": "lighter", "fine": 4900, "reasoning": {"facts": "f", "legalBasis": "b", "listItem": "i"}}"#)
            #expect(wrongFine.status == .unprocessableContent && wrongFine.error == "fineDisagreesWithList", "\(wrongFine.text)")
        }
    }
}

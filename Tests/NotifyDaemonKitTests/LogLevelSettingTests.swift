import Testing
@testable import NotifyDaemonKit

@Suite struct LogLevelSettingTests {
    @Test func namedLevelsInAnyCase() {
        #expect(LogLevelSetting.level("debug") == .debug)
        #expect(LogLevelSetting.level("DEBUG") == .debug)
        #expect(LogLevelSetting.level("notice") == .notice)
        #expect(LogLevelSetting.level("trace") == .trace)
    }

    @Test func infoWhenUnsetOrUnknown() {
        #expect(LogLevelSetting.level(nil) == .info)
        #expect(LogLevelSetting.level("") == .info)
        #expect(LogLevelSetting.level("verbose") == .info)
    }

    @Test func messageIDsAre128BitLowerHexAndDistinct() {
        let ids = [JournalMessageID.attemptAnswered, JournalMessageID.jobDelivered, JournalMessageID.jobDeadLettered, JournalMessageID.jobEnded,
                   JournalMessageID.breakerOpened, JournalMessageID.breakerClosed, JournalMessageID.agentExited,
                   JournalMessageID.configurationReloaded]
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32 && id.allSatisfy { "0123456789abcdef".contains($0) }, "\(id)")
        }
        #expect(JournalFields.fieldName(forMetadataKey: "message_id") == "MESSAGE_ID")
    }
}

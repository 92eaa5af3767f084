using Azure.Data.Tables;
using Moq;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.People;
using Twilio.Http;

namespace Playbooks.Calling.Tests.AgentPhones;

public class AgentPhoneVerificationServiceTests
{
    private const string OrgId = "org-1";
    private const string Number = "+14155552671";

    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    private readonly VerificationHarness harness = new();
    private readonly Mock<AgentPhoneVerificationStore> store = new(MockBehavior.Strict, Unused);
    private readonly Mock<PersonStore> people = new(MockBehavior.Strict, Unused);
    private AgentPhoneVerification? stored;
    private Person person = new()
    {
        OrgId = OrgId, UserId = "rep-1", DisplayName = "Rita Rep", AgentPhoneNumber = Number, AgentPhoneVerified = false, Version = "p1",
    };

    public AgentPhoneVerificationServiceTests()
    {
        var version = 0;
        store.Setup(s => s.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(() => stored);
        store.Setup(s => s.SaveAsync(It.IsAny<AgentPhoneVerification>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AgentPhoneVerification v, CancellationToken _) =>
                v.Version != stored?.Version ? null : stored = v with { Version = $"v{++version}" });
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(() => person);
        people.Setup(p => p.UpdateAsync(It.IsAny<Person>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => person = p with { Version = "p2" });
    }

    private AgentPhoneVerificationService Service => harness.Service(store.Object, people.Object);

    private async Task<string> StartAndReadCodeAsync()
    {
        var started = await Service.StartAsync(person, VerificationHarness.Org(), CancellationToken.None);
        Assert.Null(started.Failure);
        var state = await Service.StateForOwnerAsync(person, CancellationToken.None);
        return state.Verification!.Code;
    }

    [Fact]
    public async Task StartAsync_UnverifiedNumber_CallsItWithTheVerificationTwimlFromTheOrgCallerId()
    {
        // Act
        var started = await Service.StartAsync(person, VerificationHarness.Org(), CancellationToken.None);

        // Assert
        Assert.Equal(VerificationHarness.CallSid, started.Value?.CallSid);
        var request = Assert.Single(harness.Requests);
        Assert.Equal(Number, request.PostParams.Single(p => p.Key == "To").Value);
        Assert.Equal("+14155550199", request.PostParams.Single(p => p.Key == "From").Value);
        Assert.StartsWith(
            $"https://calls.playbooks.example/api/twilio/agent-verification?orgId={OrgId}&userId=rep-1&verificationId={stored!.Id}",
            request.PostParams.Single(p => p.Key == "Url").Value);
        Assert.Equal(harness.Now + AgentPhoneVerificationService.CodeLifetime, stored.ExpiresAt);
    }

    [Fact]
    public async Task StateForOwnerAsync_AfterStart_ShowsASixDigitCodeThatIsNotStored()
    {
        // Act
        var code = await StartAndReadCodeAsync();

        // Assert
        Assert.Matches("^[0-9]{6}$", code);
        var entity = System.Text.Json.JsonSerializer.Serialize(stored);
        Assert.DoesNotContain(code, entity);
    }

    [Fact]
    public async Task CheckDigitsAsync_RightCode_MarksThePersonVerifiedAndClosesTheVerification()
    {
        // Arrange
        var code = await StartAndReadCodeAsync();

        // Act
        var (outcome, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", stored!.Id, code, CancellationToken.None);

        // Assert
        Assert.Equal(DigitsOutcome.Verified, outcome);
        Assert.True(person.AgentPhoneVerified);
        Assert.True(stored.Closed);
        Assert.Null((await Service.StateForOwnerAsync(person, CancellationToken.None)).Verification);
        Assert.Equal(["person.agent-phone-verified"], harness.Audited);
    }

    [Fact]
    public async Task CheckDigitsAsync_WrongCode_CountsAnAttemptAndLeavesTheNumberUnverified()
    {
        // Arrange
        var code = await StartAndReadCodeAsync();
        var wrong = code == "000000" ? "111111" : "000000";

        // Act
        var (outcome, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", stored!.Id, wrong, CancellationToken.None);

        // Assert
        Assert.Equal(DigitsOutcome.WrongCode, outcome);
        Assert.False(person.AgentPhoneVerified);
        Assert.Equal(AgentPhoneVerificationService.MaxAttempts - 1, (await Service.StateForOwnerAsync(person, CancellationToken.None)).Verification?.AttemptsLeft);
    }

    [Fact]
    public async Task CheckDigitsAsync_AttemptsUsedUp_LocksEvenTheRightCode()
    {
        // Arrange
        var code = await StartAndReadCodeAsync();
        var wrong = code == "000000" ? "111111" : "000000";
        var outcomes = new List<DigitsOutcome>();
        for (var i = 0; i < AgentPhoneVerificationService.MaxAttempts; i++)
        {
            outcomes.Add((await Service.CheckDigitsAsync(OrgId, "rep-1", stored!.Id, wrong, CancellationToken.None)).Outcome);
        }

        // Act
        var (afterwards, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", stored!.Id, code, CancellationToken.None);

        // Assert
        Assert.Equal([DigitsOutcome.WrongCode, DigitsOutcome.WrongCode, DigitsOutcome.Locked], outcomes);
        Assert.Equal(DigitsOutcome.Stale, afterwards);
        Assert.False(person.AgentPhoneVerified);
        Assert.Null((await Service.StateForOwnerAsync(person, CancellationToken.None)).Verification);
    }

    [Fact]
    public async Task CheckDigitsAsync_AfterExpiry_RefusesTheRightCode()
    {
        // Arrange
        var code = await StartAndReadCodeAsync();
        harness.Now += AgentPhoneVerificationService.CodeLifetime;

        // Act
        var (outcome, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", stored!.Id, code, CancellationToken.None);

        // Assert
        Assert.Equal(DigitsOutcome.Expired, outcome);
        Assert.False(person.AgentPhoneVerified);
        Assert.Null((await Service.StateForOwnerAsync(person, CancellationToken.None)).Verification);
    }

    [Fact]
    public async Task CheckDigitsAsync_NumberChangedMeanwhile_DoesNotVerifyTheNewNumber()
    {
        // Arrange
        var code = await StartAndReadCodeAsync();
        person = person with { AgentPhoneNumber = "+14155552672" };

        // Act
        var (outcome, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", stored!.Id, code, CancellationToken.None);

        // Assert
        Assert.Equal(DigitsOutcome.Stale, outcome);
        Assert.False(person.AgentPhoneVerified);
    }

    [Fact]
    public async Task CheckDigitsAsync_OlderVerificationId_IsStale()
    {
        // Arrange
        var code = await StartAndReadCodeAsync();

        // Act
        var (outcome, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", "not-the-current-id", code, CancellationToken.None);

        // Assert
        Assert.Equal(DigitsOutcome.Stale, outcome);
        Assert.False(person.AgentPhoneVerified);
    }

    [Fact]
    public async Task StartAsync_AgainWithinAMinute_IsRateLimitedAndPlacesNoCall()
    {
        // Arrange
        await Service.StartAsync(person, VerificationHarness.Org(), CancellationToken.None);
        harness.Now += TimeSpan.FromSeconds(30);

        // Act
        var again = await Service.StartAsync(person, VerificationHarness.Org(), CancellationToken.None);

        // Assert
        Assert.Equal(AgentPhoneVerificationService.RateLimited, again.Failure?.Code);
        Assert.Equal(FailureKind.RateLimited, again.Failure?.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), again.Failure?.RetryAfter);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task StartAsync_MoreThanFivePerHourEvenForDifferentNumbers_IsRateLimited()
    {
        // Arrange
        for (var i = 0; i < AgentPhoneVerificationService.MaxStartsPerHour; i++)
        {
            person = person with { AgentPhoneNumber = $"+1415555267{i}" };
            Assert.Null((await Service.StartAsync(person, VerificationHarness.Org(), CancellationToken.None)).Failure);
            harness.Now += TimeSpan.FromMinutes(2);
        }

        // Act
        person = person with { AgentPhoneNumber = "+14155552679" };
        var sixth = await Service.StartAsync(person, VerificationHarness.Org(), CancellationToken.None);

        // Assert
        Assert.Equal(AgentPhoneVerificationService.RateLimited, sixth.Failure?.Code);
        Assert.Equal(AgentPhoneVerificationService.MaxStartsPerHour, harness.Requests.Count);
    }

    [Fact]
    public async Task StartAsync_AlreadyVerified_RefusesWithoutACall()
    {
        // Act
        var result = await Service.StartAsync(person with { AgentPhoneVerified = true }, VerificationHarness.Org(), CancellationToken.None);

        // Assert
        Assert.Equal(AgentPhoneVerificationService.AlreadyVerified, result.Failure?.Code);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task StartAsync_NoNumber_RefusesOnAgentPhoneNumber()
    {
        // Act
        var result = await Service.StartAsync(person with { AgentPhoneNumber = null }, VerificationHarness.Org(), CancellationToken.None);

        // Assert
        Assert.Equal("agentPhoneNumber", result.Failure?.Field);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task StartAsync_Restart_OldCodeNoLongerWorks()
    {
        // Arrange
        var first = await StartAndReadCodeAsync();
        var firstId = stored!.Id;
        harness.Now += TimeSpan.FromMinutes(2);
        var second = await StartAndReadCodeAsync();

        // Act
        var (outcome, _) = await Service.CheckDigitsAsync(OrgId, "rep-1", firstId, first, CancellationToken.None);

        // Assert
        Assert.NotEqual(firstId, stored!.Id);
        Assert.Equal(DigitsOutcome.Stale, outcome);
        Assert.Equal(2, harness.Requests.Count);
        Assert.Matches("^[0-9]{6}$", second);
    }
}

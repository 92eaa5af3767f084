using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Tests.Twilio;
using Playbooks.Calling.Twilio;
using Twilio.Clients;

namespace Playbooks.Calling.Tests.Calls;

/// <summary>
/// The calling services over strict mocks of the directory and ledger, with the real Twilio pieces
/// (TwiML, URLs, destination policy, intents, gateway) around a strict <see cref="ITwilioRestClient"/>.
/// </summary>
internal sealed class CallsHarness
{
    public const string OrgId = "org-1";
    public const string UserId = "user-1";
    public const string AgentPhone = "+14155550100";
    public const string OrgCallerId = "+14155550199";
    public const string Prospect = "+12015550123";

    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    public static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public CallsHarness(Action<TwilioOptions>? twilio = null)
    {
        CallerIds.Setup(c => c.IsAssignedAsync(OrgId, OrgCallerId, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        Options = TestTwilioOptions.Wrap(twilio);
        Urls = new CallbackUrls(Options);
        Intents = new CallIntentProtector(Options);
        Time.Setup(t => t.GetUtcNow()).Returns(() => Now);
    }

    public IOptions<TwilioOptions> Options { get; }

    public CallbackUrls Urls { get; }

    public CallIntentProtector Intents { get; }

    public Mock<TimeProvider> Time { get; } = new(MockBehavior.Strict);

    public Mock<OrgStore> Orgs { get; } = new(MockBehavior.Strict, Unused);

    public Mock<PersonStore> People { get; } = new(MockBehavior.Strict, Unused);

    public Mock<CallingAccess> Access { get; } =
        new(MockBehavior.Strict, new Mock<OrgStore>(Unused).Object, new Mock<PermissionGroupStore>(Unused).Object, new Mock<PersonStore>(Unused).Object);

    public Mock<CallLedger> Ledger { get; } = new(MockBehavior.Strict, Unused);

    public Mock<CallerIdStore> CallerIds { get; } = new(MockBehavior.Strict, Unused);

    public Mock<ITwilioRestClient> Rest { get; } = new(MockBehavior.Strict);

    public List<CallRecord> Recorded { get; } = [];

    public static Caller Caller(string orgId = OrgId, string userId = UserId) =>
        new(orgId, userId, "Test Rep", new HashSet<string> { AppRoles.Rep });

    public static OrgSettings Org(RecordingMode recording = RecordingMode.Off, string? callerId = OrgCallerId) => new()
    {
        OrgId = OrgId,
        Name = "Org one",
        ComputerCallingEnabled = true,
        Recording = recording,
        CallerId = callerId,
        Edges = ["ashburn", "dublin"],
        AllowedCountries = ["US", "CA"],
    };

    public static Person Person(CallingMethod preference = CallingMethod.Computer, string? agentPhone = AgentPhone) => new()
    {
        OrgId = OrgId,
        UserId = UserId,
        DisplayName = "Test Rep",
        PermissionGroupId = "both",
        CallingPreference = preference,
        AgentPhoneNumber = agentPhone,
        Roles = [AppRoles.Rep],
        AgentPhoneVerified = agentPhone is not null,
    };

    public CallsHarness WithOrg(OrgSettings? org)
    {
        Orgs.Setup(o => o.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(org);
        return this;
    }

    public CallsHarness WithPerson(Person? person)
    {
        People.Setup(p => p.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(person);
        return this;
    }

    public CallsHarness Allowing(CallingMethod method)
    {
        Access.Setup(a => a.CheckAsync(OrgId, UserId, method, It.IsAny<CancellationToken>())).ReturnsAsync(CallingPermission.Granted);
        return this;
    }

    public CallsHarness Refusing(CallingMethod method, string reason)
    {
        Access.Setup(a => a.CheckAsync(It.IsAny<string>(), It.IsAny<string>(), method, It.IsAny<CancellationToken>()))
            .ReturnsAsync(CallingPermission.Refused(reason, $"Refused: {reason}."));
        return this;
    }

    public CallsHarness RecordingCalls()
    {
        Ledger.Setup(l => l.RecordAsync(It.IsAny<CallRecord>(), It.IsAny<CancellationToken>()))
            .Callback<CallRecord, CancellationToken>((call, _) => Recorded.Add(call))
            .Returns(Task.CompletedTask);
        return this;
    }

    public CallConnector Connector() => new(
        Access.Object, Orgs.Object, new DestinationPolicy(), Intents, Ledger.Object, CallerIds.Object, new TwimlBuilder(Urls), Options, Time.Object,
        NullLogger<CallConnector>.Instance);

    public CallService Service(CallRateLimiter? limiter = null) => new(
        Access.Object, People.Object, Orgs.Object, new DestinationPolicy(), Intents, Urls,
        new TwilioCallGateway(Rest.Object, NullLogger<TwilioCallGateway>.Instance), Ledger.Object,
        limiter ?? new CallRateLimiter(Options, Time.Object), CallerIds.Object, Options, Time.Object,
        NullLogger<CallService>.Instance);

    public CallTokenService TokenService(TokenRateLimiter? limiter = null) => new(
        Access.Object, People.Object, Orgs.Object, limiter ?? new TokenRateLimiter(Options, Time.Object), new VoiceTokenIssuer(Options), Time.Object);
}

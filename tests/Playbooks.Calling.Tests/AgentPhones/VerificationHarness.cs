using Playbooks.Calling.Tests.OrgDirectory;
using Playbooks.Calling.Audit;
using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Tests.Twilio;
using Twilio.Clients;
using Twilio.Http;

namespace Playbooks.Calling.Tests.AgentPhones;

/// <summary>
/// The verification service over a store and people (mocks or Azurite), the real codes, URLs and gateway, and a strict
/// Twilio REST client that answers every Calls.Create with a queued call and remembers the requests.
/// </summary>
internal sealed class VerificationHarness
{
    public const string CallSid = "CA0000000000000000000000000000ve01";

    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    public VerificationHarness(DateTimeOffset? now = null)
    {
        Now = now ?? new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);
        Time.Setup(t => t.GetUtcNow()).Returns(() => Now);
        Rest.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);
        Rest.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .Callback<Request>(Requests.Add)
            .ReturnsAsync(() => new Response(HttpStatusCode.Created, $$"""
                {"sid": "{{CallSid}}", "account_sid": "{{TestTwilioOptions.AccountSid}}", "status": "queued", "direction": "outbound-api"}
                """));
    }

    public DateTimeOffset Now { get; set; }

    public Mock<TimeProvider> Time { get; } = new(MockBehavior.Strict);

    public Mock<ITwilioRestClient> Rest { get; } = new(MockBehavior.Strict);

    public List<Request> Requests { get; } = [];

    public VerificationCodes Codes { get; } = new(TestTwilioOptions.Wrap());

    public AgentPhoneVerificationUrls Urls { get; } = new(TestTwilioOptions.Wrap());

    /// <summary>The actions of the audited changes the service applied.</summary>
    public List<string> Audited { get; } = [];

    public AgentPhoneVerificationService Service(AgentPhoneVerificationStore store, PersonStore people, AuditService? audit = null) => new(
        store, people, audit ?? StoreMocks.Audit(Audited).Object, Codes, Urls, new TwilioCallGateway(Rest.Object, NullLogger<TwilioCallGateway>.Instance),
        TestTwilioOptions.Wrap(), Time.Object, NullLogger<AgentPhoneVerificationService>.Instance);

    public static OrgSettings Org(string orgId = "org-1") => new() { OrgId = orgId, Name = "Org", CallerId = "+14155550199" };

    /// <summary>A strict mock of the service for tests of its users: the owner's state mirrors the person, starts succeed.</summary>
    public static Mock<AgentPhoneVerificationService> StrictService(List<Person>? started = null)
    {
        var mock = new Mock<AgentPhoneVerificationService>(MockBehavior.Strict,
            new Mock<AgentPhoneVerificationStore>(Unused).Object, new Mock<PersonStore>(Unused).Object, StoreMocks.Audit().Object,
            new VerificationCodes(TestTwilioOptions.Wrap()), new AgentPhoneVerificationUrls(TestTwilioOptions.Wrap()),
            new TwilioCallGateway(new Mock<ITwilioRestClient>().Object, NullLogger<TwilioCallGateway>.Instance),
            TestTwilioOptions.Wrap(), TimeProvider.System, NullLogger<AgentPhoneVerificationService>.Instance);
        mock.Setup(s => s.StateForOwnerAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => new AgentPhoneState(p.AgentPhoneNumber, p.AgentPhoneVerified, null));
        mock.Setup(s => s.StartAsync(It.IsAny<Person>(), It.IsAny<OrgSettings>(), It.IsAny<CancellationToken>()))
            .Callback((Person p, OrgSettings _, CancellationToken _) => started?.Add(p))
            .ReturnsAsync((Person p, OrgSettings _, CancellationToken _) => new AgentPhoneVerification
            {
                OrgId = p.OrgId, UserId = p.UserId, Number = p.AgentPhoneNumber!, Id = "v", CallSid = CallSid,
            });
        return mock;
    }
}

using Moq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Crm;

internal sealed class PlainHttpClients : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new();
}

internal static class CrmTestKit
{
    public const string SecretValue = "s3cret-value";

    /// <summary>The orgs whose client secret the test configuration holds (under their composed names).</summary>
    public static readonly string[] OrgsWithSecrets = ["org-a", "org-b"];
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 15, 0, 0, TimeSpan.Zero);

    /// <summary>The defaults, except that the WireMock stubs on this machine may be plain http, as on the dev server.</summary>
    public static IOptions<CrmOptions> Options(Action<CrmOptions>? change = null)
    {
        var options = new CrmOptions { AllowLoopbackHttp = true };
        change?.Invoke(options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static CrmSecrets Secrets(TimeProvider clock) => new(
        new ConfigurationBuilder().AddInMemoryCollection(
            OrgsWithSecrets.ToDictionary(o => $"Crm:Secrets:{CrmSecretNames.ClientSecret(o)}", _ => (string?)SecretValue)).Build(),
        Options(), clock);

    public static CrmConnection Salesforce(string orgId, string loginUrl) => new()
    {
        OrgId = orgId,
        Provider = CrmProvider.Salesforce,
        InstanceUrl = loginUrl,
        ClientId = "sf-consumer-key",
    };

    public static CrmConnection Dynamics(string orgId, string orgUrl) => new()
    {
        OrgId = orgId,
        Provider = CrmProvider.Dynamics,
        InstanceUrl = orgUrl,
        TenantId = "contoso.onmicrosoft.com",
        ClientId = "11111111-2222-3333-4444-555555555555",
    };

    /// <summary>A connected call that ended, with a disposition, notes and a recording.</summary>
    public static CallActivity Ended(string orgId, string callSid, string? crmWhoId = null) => new()
    {
        OrgId = orgId,
        AgentCallSid = callSid,
        ProspectCallSid = "CA" + new string('f', 32),
        UserId = "rep-1",
        Method = CallingMethod.Computer,
        ProspectNumber = "+15005550006",
        CallerId = "+15005550001",
        CrmWhoId = crmWhoId,
        Status = CallStatus.Completed,
        StatusSequenceNumber = 3,
        InitiatedAt = Start,
        AnsweredAt = Start.AddSeconds(10),
        EndedAt = Start.AddSeconds(100),
        DurationSeconds = 90,
        RecordingSid = "RE" + new string('1', 32),
        RecordingUrl = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        RecordingDuration = 88,
        RecordingStatus = RecordingStatus.Completed,
        Disposition = "Interested",
        Notes = "Wants a demo next week",
    };

    /// <summary>A strict mock of the warnings store; its table client is never called.</summary>
    public static Moq.Mock<CrmSyncWarnings> Warnings() =>
        new(Moq.MockBehavior.Strict, new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System);

    /// <summary>Leases that are always free and never held: every run gets its org's lease and gives it back.</summary>
    public static Moq.Mock<CrmSyncLeases> Leases()
    {
        var leases = new Moq.Mock<CrmSyncLeases>(Moq.MockBehavior.Strict, new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"),
            Options(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<CrmSyncLeases>.Instance);
        leases.Setup(l => l.TryAcquireAsync(Moq.It.IsAny<string>(), Moq.It.IsAny<CancellationToken>()))
            .ReturnsAsync((string orgId, CancellationToken _) => new CrmLeaseAttempt(new CrmLease(orgId, "lease-v1", Start.AddMinutes(10), CrmHold.None), null, null));
        leases.Setup(l => l.ReleaseAsync(Moq.It.IsAny<CrmLease>(), Moq.It.IsAny<CrmHold>(), Moq.It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        return leases;
    }

    public static string Sid(int n) => "CA" + n.ToString("x32");
}

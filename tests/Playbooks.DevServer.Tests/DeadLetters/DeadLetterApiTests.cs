using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;

namespace Playbooks.DevServer.Tests.DeadLetters;

/// <summary>Events dead-lettered in the dev server's poison queue, listed and replayed through the API into their activities.</summary>
[Collection(DevServerCollection.Name)]
public sealed class DeadLetterApiTests(DevServerFactory server)
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-10);

    private readonly string orgId = $"dlq-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Replay_DeadLetteredEvent_ListedThenLandsInItsActivity()
    {
        // Arrange: one of ours and one of another org, dead-lettered after an outage.
        var agentSid = NewSid();
        var otherOrg = $"dlq-{Guid.NewGuid():N}"[..20];
        await DeadLetterAsync(Status(orgId, agentSid));
        await DeadLetterAsync(Status(otherOrg, NewSid()));
        var admin = await server.SignedInClientAsync("admin-1", orgId, "Admin");
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");

        // Act
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        var id = item.GetProperty("id").GetString();
        var replay = await admin.PostAsync($"/api/admin/dead-letters/{Uri.EscapeDataString(id!)}/replay", null);
        var activity = await WaitForCallAsync(rep, agentSid);
        var after = await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        var again = await admin.PostAsync($"/api/admin/dead-letters/{Uri.EscapeDataString(id!)}/replay", null);

        // Assert
        Assert.Equal("CB" + agentSid[2..], item.GetProperty("callSid").GetString());
        Assert.Equal(ActivityWriter.MaxDeliveryExceeded, item.GetProperty("reason").GetString());
        Assert.True(item.GetProperty("deadLetteredAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("completed", activity.GetProperty("status").GetString());
        Assert.Empty(after.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReplayAll_TwoDeadLetters_BothLandAndOtherOrgsStay()
    {
        var first = NewSid();
        var second = NewSid();
        var otherOrg = $"dlq-{Guid.NewGuid():N}"[..20];
        await DeadLetterAsync(Status(orgId, first));
        await DeadLetterAsync(Status(orgId, second));
        await DeadLetterAsync(Status(otherOrg, NewSid()));
        var admin = await server.SignedInClientAsync("admin-1", orgId, "Admin");
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");
        var otherAdmin = await server.SignedInClientAsync("admin-1", otherOrg, "Admin");

        var replay = await admin.PostAsync("/api/admin/dead-letters/replay", null);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(2, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        await WaitForCallAsync(rep, first);
        await WaitForCallAsync(rep, second);
        var theirs = await otherAdmin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        Assert.Single(theirs.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task List_Rep_Returns403()
    {
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");

        var response = await rep.GetAsync("/api/admin/dead-letters");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task DeadLetterAsync(CallEventMessage e)
    {
        var queues = server.Services.GetRequiredService<StorageQueueCallEvents>();
        var dead = new PoisonCallEvent(CallEventMessageId.For(e), ActivityWriter.MaxDeliveryExceeded, "Failed 10 times; the limit is 10.", 10,
            CallEventSerializer.Serialize(e));
        await queues.PoisonQueue.SendMessageAsync(BinaryData.FromString(JsonSerializer.Serialize(dead, PlaybooksJson.Options)),
            timeToLive: TimeSpan.FromSeconds(-1));
    }

    private static async Task<JsonElement> WaitForCallAsync(HttpClient client, string agentSid)
    {
        // Long enough for the event's own backoff, should another dev server's writer of this run take it first and fail.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var recent = await client.GetFromJsonAsync<JsonElement>("/api/calls/recent");
            var match = recent.GetProperty("items").EnumerateArray().FirstOrDefault(i => i.GetProperty("callSid").GetString() == agentSid);
            if (match.ValueKind == JsonValueKind.Object) return match;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Call {agentSid} did not reach the activity list in 120 s: {recent}");
            await Task.Delay(100);
        }
    }

    private static CallEventMessage Status(string orgId, string agentSid) => new()
    {
        Kind = CallEventKind.CallStatus,
        OrgId = orgId,
        CallSid = "CB" + agentSid[2..],
        ParentCallSid = agentSid,
        Leg = CallLeg.Prospect,
        CallStatus = CallStatus.Completed,
        SequenceNumber = 3,
        Timestamp = Start.AddSeconds(40),
        ReceivedAt = Start.AddSeconds(40),
        CallDuration = 31,
        To = "+14155550199",
        From = "+14155550100",
        UserId = "rep-1",
        Method = CallingMethod.Computer,
    };

    private static string NewSid() => "CA" + Guid.NewGuid().ToString("N");
}

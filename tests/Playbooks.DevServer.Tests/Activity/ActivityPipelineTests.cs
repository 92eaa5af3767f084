using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;

namespace Playbooks.DevServer.Tests.Activity;

/// <summary>Events published to the dev server's real Storage queue, drained by its writer loop, read back through the API.</summary>
[Collection(DevServerCollection.Name)]
public sealed class ActivityPipelineTests(DevServerFactory server)
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-10);

    private readonly string orgId = $"act-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task RecentCalls_EventsPublished_ShowTheDrainedActivity()
    {
        // Arrange
        var agentSid = NewSid();
        var publisher = server.Services.GetRequiredService<ICallEventPublisher>();
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");

        // Act: out of order, with a duplicate and the agent leg's own status.
        foreach (var e in new[]
                 {
                     Status(agentSid, CallStatus.Completed, 3, 40, duration: 31),
                     Status(agentSid, CallStatus.Ringing, 1, 3),
                     Status(agentSid, CallStatus.InProgress, 2, 9),
                     Status(agentSid, CallStatus.Completed, 3, 40, duration: 31),
                     Status(agentSid, CallStatus.Initiated, 0, 0) with { Leg = CallLeg.Agent, CallSid = agentSid, ParentCallSid = null },
                 })
        {
            await publisher.PublishAsync(e, CancellationToken.None);
        }

        var activity = await WaitForCallAsync(rep, agentSid, a => a.GetProperty("status").GetString() == "completed");

        // Assert
        Assert.Equal("connected", activity.GetProperty("outcome").GetString());
        Assert.Equal(31, activity.GetProperty("durationSeconds").GetInt32());
        Assert.Equal("computer", activity.GetProperty("method").GetString());
        Assert.Equal("+14155550199", activity.GetProperty("prospectNumber").GetString());
        Assert.Equal("rep-1", activity.GetProperty("userId").GetString());
        Assert.Equal("pending", activity.GetProperty("crmSync").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Disposition_OwnCall_SavedAndShownInRecentCalls()
    {
        var agentSid = await CallAsync("rep-1");
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");

        var response = await rep.PutAsJsonAsync($"/api/calls/{agentSid}/disposition", new { disposition = "meeting-booked", notes = "Demo Friday" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recent = await WaitForCallAsync(rep, agentSid, a => a.TryGetProperty("disposition", out _));
        Assert.Equal("meeting-booked", recent.GetProperty("disposition").GetString());
        Assert.Equal("Demo Friday", recent.GetProperty("notes").GetString());
        Assert.Equal("completed", recent.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Disposition_ColleaguesCall_Returns404()
    {
        var agentSid = await CallAsync("rep-1");
        var colleague = await server.SignedInClientAsync("rep-2", orgId, "Rep", "Manager");

        var response = await colleague.PutAsJsonAsync($"/api/calls/{agentSid}/disposition", new { disposition = "busy" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Disposition_SameUserIdInAnotherOrg_Returns404()
    {
        var agentSid = await CallAsync("rep-1");
        var outsider = await server.SignedInClientAsync("rep-1", $"other-{Guid.NewGuid():N}"[..20], "Rep", "Admin");

        var response = await outsider.PutAsJsonAsync($"/api/calls/{agentSid}/disposition", new { disposition = "busy" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("busy", 2001, "notes")]
    [InlineData("sold", 10, "disposition")]
    public async Task Disposition_InvalidForm_Returns400WithField(string disposition, int notesLength, string field)
    {
        var agentSid = await CallAsync("rep-1");
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");

        var response = await rep.PutAsJsonAsync($"/api/calls/{agentSid}/disposition", new { disposition, notes = new string('n', notesLength) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task AdminCalls_Rep_Returns403()
    {
        var rep = await server.SignedInClientAsync("rep-1", orgId, "Rep");

        var response = await rep.GetAsync("/api/admin/calls");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AdminCalls_Admin_SeesTheOrgsCallsOnly()
    {
        var agentSid = await CallAsync("rep-1");
        var admin = await server.SignedInClientAsync("admin-1", orgId, "Admin");
        var otherAdmin = await server.SignedInClientAsync("admin-1", $"other-{Guid.NewGuid():N}"[..20], "Admin");

        var mine = await admin.GetFromJsonAsync<JsonElement>("/api/admin/calls?method=computer&outcome=connected");
        var theirs = await otherAdmin.GetFromJsonAsync<JsonElement>("/api/admin/calls");

        Assert.Equal([agentSid], mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("callSid").GetString()));
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
    }

    /// <summary>Publishes a completed call of <paramref name="userId"/> and waits until the writer has stored it.</summary>
    private async Task<string> CallAsync(string userId)
    {
        var agentSid = NewSid();
        var publisher = server.Services.GetRequiredService<ICallEventPublisher>();
        await publisher.PublishAsync(Status(agentSid, CallStatus.Completed, 3, 40, 31, userId), CancellationToken.None);
        var owner = await server.SignedInClientAsync(userId, orgId, "Rep");
        await WaitForCallAsync(owner, agentSid, _ => true);
        return agentSid;
    }

    private static async Task<JsonElement> WaitForCallAsync(HttpClient client, string agentSid, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var recent = await client.GetFromJsonAsync<JsonElement>("/api/calls/recent");
            var match = recent.GetProperty("items").EnumerateArray().FirstOrDefault(i => i.GetProperty("callSid").GetString() == agentSid);
            if (match.ValueKind == JsonValueKind.Object && done(match)) return match;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Call {agentSid} did not reach the activity list in 30 s: {recent}");
            await Task.Delay(100);
        }
    }

    private CallEventMessage Status(string agentSid, CallStatus status, int sequence, int atSecond, int? duration = null, string userId = "rep-1") => new()
    {
        Kind = CallEventKind.CallStatus,
        OrgId = orgId,
        CallSid = "CB" + agentSid[2..],
        ParentCallSid = agentSid,
        Leg = CallLeg.Prospect,
        CallStatus = status,
        SequenceNumber = sequence,
        Timestamp = Start.AddSeconds(atSecond),
        ReceivedAt = Start.AddSeconds(atSecond),
        CallDuration = status.IsTerminal() ? duration ?? 0 : null,
        To = "+14155550199",
        From = "+14155550100",
        UserId = userId,
        Method = CallingMethod.Computer,
    };

    private static string NewSid() => "CA" + Guid.NewGuid().ToString("N");
}

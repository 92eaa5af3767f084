using System.Text.Json;
using Playbooks.Calling;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.DevServer.DemoOrg;
using Playbooks.Functions.Http;

namespace Playbooks.DevServer.DevHooks;

/// <summary>
/// Development-only shortcuts for the browser tests, for states the simulator cannot reach by itself: a call event the
/// activity writer gave up on, and a verified agent phone that never answers (which no verification call can confirm).
/// Mapped only in the Development environment, next to the dev sign-in.
/// </summary>
internal static class DevHookEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapDevHooks(this IEndpointRouteBuilder endpoints)
    {
        // Dead-letters a finished computer call's last status event exactly as the writer does after its last failed attempt.
        endpoints.MapPost("/dev/call-events/dead-letter", async (HttpContext http, IServiceProvider services, TimeProvider clock) =>
        {
            var request = await http.Request.ReadJsonAsync<DeadLetterRequest>(http.RequestAborted);
            if (request.Failure is { } bad)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(bad));
                return;
            }

            if (services.GetService<StorageQueueCallEvents>() is not { } queues)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(Failure.Conflict("not-storage-queue", "Dead letters can be made only on the Storage queue transport.")));
                return;
            }

            var (orgId, userId) = (request.Value!.OrgId ?? DemoOrgSeed.OrgId, request.Value.UserId ?? "rep-both");
            var now = clock.GetUtcNow();
            var agentSid = "CA" + Guid.NewGuid().ToString("N");
            var e = new CallEventMessage
            {
                Kind = CallEventKind.CallStatus,
                OrgId = orgId,
                CallSid = "CA" + Guid.NewGuid().ToString("N"),
                ParentCallSid = agentSid,
                Leg = CallLeg.Prospect,
                CallStatus = CallStatus.Completed,
                SequenceNumber = 3,
                Timestamp = now.AddSeconds(-5),
                ReceivedAt = now.AddSeconds(-5),
                CallDuration = 42,
                To = request.Value.To ?? "+12015550100",
                From = "+15005550006",
                UserId = userId,
                Method = CallingMethod.Computer,
            };
            var dead = new PoisonCallEvent(CallEventMessageId.For(e), ActivityWriter.MaxDeliveryExceeded,
                "Failed 10 times; the limit is 10.", 10, CallEventSerializer.Serialize(e));
            await queues.PoisonQueue.SendMessageAsync(
                BinaryData.FromString(JsonSerializer.Serialize(dead, Json)), timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: http.RequestAborted);
            http.Response.StatusCode = StatusCodes.Status201Created;
            await http.Response.WriteAsJsonAsync(new { callSid = agentSid, prospectCallSid = e.CallSid }, http.RequestAborted);
        });

        // Gives a person an agent phone that counts as verified, e.g. a simulator number that never answers.
        endpoints.MapPut("/dev/people/{userId}/agent-phone", async (string userId, HttpContext http, PersonStore people) =>
        {
            var request = await http.Request.ReadJsonAsync<AgentPhoneRequest>(http.RequestAborted);
            if (request.Failure is { } bad)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(bad));
                return;
            }

            if (request.Value!.AgentPhoneNumber is not { Length: >= 8 and <= 16 } phone || phone[0] != '+' || !phone[1..].All(char.IsAsciiDigit))
            {
                await ProblemWriter.WriteAsync(http, Problems.From(Failure.Invalid("agentPhoneNumber", "agentPhoneNumber must be in E.164 form.")));
                return;
            }

            var orgId = request.Value.OrgId ?? DemoOrgSeed.OrgId;
            if (await people.GetAsync(orgId, userId, http.RequestAborted) is not { } person)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(Failure.NotFound("Person")));
                return;
            }

            var saved = await people.UpdateAsync(person with { AgentPhoneNumber = phone, AgentPhoneVerified = true }, person.Version!, http.RequestAborted);
            if (saved.Failure is { } failure)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(failure));
                return;
            }

            await http.Response.WriteAsJsonAsync(new { userId, orgId, agentPhoneNumber = phone, agentPhoneVerified = true }, http.RequestAborted);
        });
    }

    private sealed record DeadLetterRequest(string? OrgId = null, string? UserId = null, string? To = null);

    private sealed record AgentPhoneRequest(string? AgentPhoneNumber, string? OrgId = null);
}

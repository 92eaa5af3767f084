using Microsoft.Extensions.Logging;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace Playbooks.Calling.Calls;

/// <summary>How an end request went: we hung the call up, or it had already ended.</summary>
public enum CallEndOutcome
{
    Ended,
    AlreadyEnded,
}

/// <summary>
/// Twilio REST calls of the calling core. Twilio errors come back as a <see cref="Failure"/> the HTTP layer can
/// map (rejected numbers as Invalid, an unknown call as NotFound, Twilio being unreachable or failing as
/// Unavailable), never as an exception. Cancellation is honoured only before a request is sent: once Twilio may
/// have created a call, we wait for its SID rather than lose track of a live call.
/// </summary>
public class TwilioCallGateway(ITwilioRestClient client, ILogger<TwilioCallGateway> logger)
{
    /// <summary>Status events wanted for the phone-based agent leg.</summary>
    public static readonly IReadOnlyList<string> AgentLegEvents = ["initiated", "ringing", "answered", "completed"];

    /// <summary>Longest a verification call may last: a spoken code prompt and a few attempts take well under this.</summary>
    public const int VerificationTimeLimitSeconds = 300;

    /// <summary>
    /// Calls the rep's own phone; when they answer, Twilio fetches <paramref name="voiceUrl"/> to dial the prospect.
    /// <paramref name="timeLimitSeconds"/> (the org's longest call) ends the agent leg itself, whatever its TwiML does.
    /// </summary>
    public virtual Task<Result<string>> StartAgentLegAsync(
        string agentPhone, string callerId, Uri voiceUrl, Uri statusCallbackUrl, int timeLimitSeconds, CancellationToken cancellationToken) =>
        CreateCallAsync("the agent leg", "your agent phone number", () => CallResource.CreateAsync(
            to: new PhoneNumber(agentPhone),
            from: new PhoneNumber(callerId),
            url: voiceUrl,
            method: TwilioHttpMethod.Post,
            statusCallback: statusCallbackUrl,
            statusCallbackMethod: TwilioHttpMethod.Post,
            statusCallbackEvent: [.. AgentLegEvents],
            timeLimit: timeLimitSeconds,
            client: client), cancellationToken);

    /// <summary>Hangs up a call (REST update to completed). Ending a call that already ended is not an error.</summary>
    public virtual Task<Result<CallEndOutcome>> EndCallAsync(string callSid, CancellationToken cancellationToken) =>
        UpdateCallAsync<CallEndOutcome>(callSid, "end",
            () => CallResource.UpdateAsync(pathSid: callSid, status: CallResource.UpdateStatusEnum.Completed, client: client),
            CallEndOutcome.Ended, CallEndOutcome.AlreadyEnded, cancellationToken);

    public const string CallNotInProgress = "call-not-in-progress";

    /// <summary>
    /// Replaces what a live call is doing with <paramref name="twiml"/> (REST update with Twiml). On a &lt;Dial&gt;ed child leg
    /// this ends the &lt;Dial&gt;: the child runs the new TwiML and the parent goes on after its &lt;Dial&gt;.
    /// </summary>
    public virtual Task<Result<bool>> RedirectAsync(string callSid, string twiml, CancellationToken cancellationToken) =>
        UpdateCallAsync<bool>(callSid, "redirect",
            () => CallResource.UpdateAsync(pathSid: callSid, twiml: new Twiml(twiml), client: client),
            true, Failure.Conflict(CallNotInProgress, "The call is no longer in progress."), cancellationToken);

    /// <summary>A REST update of a live call: <paramref name="updated"/> when Twilio took it, <paramref name="notInProgress"/> when the call had already ended (21220).</summary>
    private async Task<Result<T>> UpdateCallAsync<T>(
        string callSid, string verb, Func<Task<CallResource>> update, Result<T> updated, Result<T> notInProgress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await update();
            return updated;
        }
        catch (ApiException ex) when (ex.Code == 21220)
        {
            return notInProgress;
        }
        catch (ApiException ex) when (ex.Code == 20404 || ex.Status == 404)
        {
            return Failure.NotFound("Call");
        }
        catch (ApiException ex)
        {
            logger.LogWarning("Twilio refused to {Verb} call {CallSid}: {Code} {Status} {Message}", verb, callSid, ex.Code, ex.Status, ex.Message);
            return Unavailable(ex);
        }
        catch (ApiConnectionException ex)
        {
            logger.LogWarning(ex, "Twilio could not be reached to {Verb} call {CallSid}", verb, callSid);
            return Unavailable(ex);
        }
    }

    /// <summary>The SID of the answered (in-progress) child leg a &lt;Dial&gt; of <paramref name="parentCallSid"/> placed, or null.</summary>
    public virtual async Task<Result<string?>> FindAnsweredChildAsync(string parentCallSid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var children = await CallResource.ReadAsync(parentCallSid: parentCallSid, status: CallResource.StatusEnum.InProgress, limit: 1, client: client);
            return children.FirstOrDefault()?.Sid;
        }
        catch (ApiException ex)
        {
            logger.LogWarning("Twilio refused to list the child legs of {CallSid}: {Code} {Status} {Message}", parentCallSid, ex.Code, ex.Status, ex.Message);
            return Unavailable(ex);
        }
        catch (ApiConnectionException ex)
        {
            logger.LogWarning(ex, "Twilio could not be reached to list the child legs of {CallSid}", parentCallSid);
            return Unavailable(ex);
        }
    }

    /// <summary>
    /// Calls a rep's new agent phone to verify it: Twilio fetches <paramref name="twimlUrl"/> when it is answered. No
    /// status callback, since this is not a sales call and makes no activity.
    /// </summary>
    public virtual Task<Result<string>> StartVerificationCallAsync(
        string agentPhone, string callerId, Uri twimlUrl, CancellationToken cancellationToken) =>
        CreateCallAsync("the verification call", "this agent phone number", () => CallResource.CreateAsync(
            to: new PhoneNumber(agentPhone),
            from: new PhoneNumber(callerId),
            url: twimlUrl,
            method: TwilioHttpMethod.Post,
            timeout: 30,
            timeLimit: VerificationTimeLimitSeconds,
            client: client), cancellationToken);

    /// <summary>Places a call to an agent phone and maps Twilio's refusals of the number or the caller ID.</summary>
    private async Task<Result<string>> CreateCallAsync(
        string what, string number, Func<Task<CallResource>> create, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return (await create()).Sid;
        }
        catch (ApiException ex)
        {
            logger.LogWarning("Twilio refused {What}: {Code} {Status} {Message}", what, ex.Code, ex.Status, ex.Message);
            return ex.Code switch
            {
                21211 or 21217 => Failure.Invalid("agentPhoneNumber", $"Twilio cannot call {number}. Check it.", "agent-phone-invalid"),
                21210 or 21212 or 21213 => Failure.Conflict("caller-id-not-usable", "The org's caller ID cannot be used for calls. Ask an admin to check it."),
                21215 or 21216 => Failure.Forbidden("agent-phone-blocked", $"The Twilio account is not allowed to call {number}."),
                _ => Unavailable(ex),
            };
        }
        catch (ApiConnectionException ex)
        {
            logger.LogWarning(ex, "Twilio could not be reached to start {What}", what);
            return Unavailable(ex);
        }
    }

    private static Failure Unavailable(TwilioException ex) =>
        new(FailureKind.Unavailable, "telephony-unavailable", "The phone service is not answering right now. Try again in a moment.")
        {
            Extensions = ex is ApiException api ? new Dictionary<string, object?> { ["twilioCode"] = api.Code } : null,
        };
}

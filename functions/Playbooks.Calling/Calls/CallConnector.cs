using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>
/// What Twilio asks the voice webhook, after the signature was checked. A computer-based call comes from
/// <c>client:&lt;identity&gt;</c> with the prospect in <c>To</c>; a phone-based agent leg carries its sealed
/// <c>intent</c> in the URL's query and its form is ignored.
/// </summary>
public sealed record VoiceRequest(string? CallSid, string? From, string? To, string? Intent, string? WhoId)
{
    /// <summary>
    /// True when the request is the agent leg's &lt;Gather&gt; action after the rep pressed 1. An agent leg's first voice
    /// request is never confirmed: it is answered with the press-1 prompt, not with a &lt;Dial&gt;.
    /// </summary>
    public bool Confirmed { get; init; }
}

/// <summary>The TwiML to answer with; <see cref="Refusal"/> says why the call was not connected.</summary>
public sealed record VoiceAnswer(string Twiml, Failure? Refusal);

/// <summary>Decides, on every voice webhook, whether to dial the prospect, and builds the TwiML either way.</summary>
public class CallConnector(
    CallingAccess access,
    OrgStore orgs,
    DestinationPolicy destinations,
    CallIntentProtector intents,
    CallLedger ledger,
    CallerIdStore callerIds,
    TwimlBuilder twiml,
    IOptions<TwilioOptions> options,
    TimeProvider time,
    ILogger<CallConnector> logger)
{
    public const string ClientPrefix = "client:";
    public const string UnknownCaller = "unknown-caller";
    public const string CallerIdMissing = "caller-id-missing";
    public const string StorageUnavailable = "storage-unavailable";

    private static readonly Dictionary<string, string> Sentences = new()
    {
        [UnknownCaller] = "This caller cannot place calls through Playbooks.",
        [CallingAccess.UnknownUser] = "Your account cannot place calls in this organization.",
        [CallingAccess.RoleCannotCall] = "Your account no longer has a role that places calls.",
        [CallingPreferencePolicy.OrgComputerCallingDisabled] = "Computer calling is not enabled for your organization.",
        [CallingPreferencePolicy.GroupForbidsComputer] = "Your permission group does not allow computer calling.",
        [CallingPreferencePolicy.GroupForbidsPhone] = "Your permission group does not allow phone calling.",
        [CallingPreferencePolicy.NoPermissionGroup] = "You are not in a permission group yet.",
        [CallingPreferencePolicy.NoAgentPhone] = "Your agent phone number is not set.",
        [CallingPreferencePolicy.AgentPhoneUnverified] = "Your agent phone number is not verified yet.",
        ["intent-malformed"] = "This call request is not valid.",
        ["intent-invalid"] = "This call request is not valid.",
        ["intent-expired"] = "This call request has expired. Please place the call again.",
        [DestinationPolicy.Malformed] = "That phone number is not valid.",
        [DestinationPolicy.TooLong] = "That phone number is not valid.",
        [DestinationPolicy.CountryNotAllowed] = "Your organization does not allow calls to that country.",
        [DestinationPolicy.PremiumRate] = "Calls to premium rate numbers are blocked.",
        [DestinationPolicy.NotDialable] = "Emergency numbers and short codes cannot be called from here.",
        [CallerIdMissing] = "Your organization has no caller ID set up.",
        [CallerIdService.NotAssigned] = "Your organization's caller ID is no longer available.",
        [StorageUnavailable] = "The call could not be placed right now. Please try again.",
    };

    private readonly CallerIdSelector _callerIds = new(callerIds, options);

    public virtual async Task<VoiceAnswer> ConnectAsync(VoiceRequest request, CancellationToken cancellationToken)
    {
        if (request.Intent is not null && !request.Confirmed)
        {
            return Prompt(request);
        }

        try
        {
            var plan = await PlanAsync(request, cancellationToken);
            if (plan.Failure is { } refusal)
            {
                logger.LogWarning("Refused call {CallSid}: {Code}", request.CallSid, refusal.Code);
                return new VoiceAnswer(twiml.Refuse(Sentences.GetValueOrDefault(refusal.Code, "This call cannot be placed.")), refusal);
            }

            return new VoiceAnswer(twiml.Dial(plan.Value!), null);
        }
        catch (RequestFailedException ex)
        {
            // A live caller is waiting: tell them, rather than let Twilio play its generic application error.
            logger.LogError(ex, "Storage failed while connecting call {CallSid}", request.CallSid);
            var failure = new Failure(FailureKind.Unavailable, StorageUnavailable, "Storage is not answering.");
            return new VoiceAnswer(twiml.Refuse(Sentences[StorageUnavailable]), failure);
        }
    }

    /// <summary>
    /// The answered agent leg: ask the rep to press 1. Only the sealed intent is checked here (no storage round trip);
    /// everything else is checked when the key arrives, right before the prospect is dialed.
    /// </summary>
    private VoiceAnswer Prompt(VoiceRequest request)
    {
        var caller = Identify(request, time.GetUtcNow());
        if (caller.Failure is { } refusal)
        {
            logger.LogWarning("Refused agent leg {CallSid}: {Code}", request.CallSid, refusal.Code);
            return new VoiceAnswer(twiml.Refuse(Sentences.GetValueOrDefault(refusal.Code, "This call cannot be placed.")), refusal);
        }

        return new VoiceAnswer(twiml.ConfirmAgentLeg(request.Intent!), null);
    }

    /// <summary>The org and rep a sealed call intent names, or its refusal (forged, expired); no storage is read.</summary>
    public virtual Result<CallIntentData> ReadIntent(string? protectedIntent) =>
        protectedIntent is null
            ? Failure.Forbidden(UnknownCaller, "The request carries no call intent.")
            : intents.Unprotect(protectedIntent, time.GetUtcNow());

    private async Task<Result<DialPlan>> PlanAsync(VoiceRequest request, CancellationToken cancellationToken)
    {
        using var recent = Storage.DirectoryCache.ServeRecentReads();
        var now = time.GetUtcNow();
        var caller = Identify(request, now);
        if (caller.Failure is { } unknown)
        {
            return unknown;
        }

        var (orgId, userId, method, to, whoId) = caller.Value!;
        var permission = await access.CheckAsync(orgId, userId, method, cancellationToken);
        if (!permission.Allowed)
        {
            return Failure.Forbidden(permission.Reason ?? CallingAccess.UnknownUser, permission.Detail ?? "The user may not place calls.");
        }

        if (await orgs.GetAsync(orgId, cancellationToken) is not { } org)
        {
            return Failure.Forbidden(CallingAccess.UnknownUser, "The org is not known.");
        }

        var prospect = destinations.Check(to, org);
        if (prospect.Failure is { } badNumber)
        {
            return badNumber;
        }

        var callerId = await _callerIds.ChooseAsync(org, prospect.Value!, cancellationToken);
        if (callerId.Failure is { } noCallerId)
        {
            return noCallerId;
        }

        await ledger.RecordAsync(
            new CallRecord(orgId, request.CallSid!, userId, method, prospect.Value!, now) { WhoId = whoId }, cancellationToken);
        var callback = new CallbackContext(orgId, userId, method)
        {
            AgentCallSid = request.CallSid,
            WhoId = whoId,
            CallerIdTier = org.LocalPresence ? callerId.Value!.Tier : null,
        };
        var recording = RecordingDisclosure.Decide(org, prospect.Value!);
        return new DialPlan(prospect.Value!, callerId.Value!.CallerId, recording.DialRecording, callback)
        {
            MaxCallMinutes = org.MaxCallMinutes,
            Disclose = recording.Discloses,
        };
    }

    private Result<(string OrgId, string UserId, CallingMethod Method, string? To, string? WhoId)> Identify(VoiceRequest request, DateTimeOffset now)
    {
        if (!CallLedger.IsWellFormedSid(request.CallSid))
        {
            return Failure.Forbidden(UnknownCaller, "The request has no call SID.");
        }

        if (request.Intent is not null)
        {
            var intent = intents.Unprotect(request.Intent, now);
            if (intent.Failure is { } forged)
            {
                return forged;
            }

            var data = intent.Value!;
            return (data.OrgId, data.UserId, CallingMethod.Phone, data.ProspectNumber, data.WhoId);
        }

        if (request.From is { } from
            && from.StartsWith(ClientPrefix, StringComparison.Ordinal)
            && ClientIdentity.TryDecode(from[ClientPrefix.Length..], out var orgId, out var userId))
        {
            var whoId = CrmWhoId.IsValid(request.WhoId) ? request.WhoId : null;
            if (whoId is null && !string.IsNullOrEmpty(request.WhoId))
            {
                logger.LogWarning("Ignored a malformed whoId on call {CallSid}", request.CallSid);
            }

            return (orgId, userId, CallingMethod.Computer, request.To, whoId);
        }

        return Failure.Forbidden(UnknownCaller, "The call comes from neither a Playbooks browser nor a Playbooks agent leg.");
    }
}

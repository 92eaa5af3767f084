using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm.Salesforce;

/// <summary>
/// Writes each call as a Task through the REST API. The Task of a call is found by <c>CallObject</c> = the agent call
/// SID and updated, or created when none exists, in sObject Collections of up to 200 records with allOrNone=false.
/// </summary>
/// <remarks>
/// Why a query and not an upsert on an external id: custom fields on activities cannot be marked External ID, so
/// Task has no upsert key; CallObject is the standard field for the telephony call id. A create whose answer was
/// lost is found by the next attempt's query and updated, so a retry never adds a second Task.
/// </remarks>
public sealed class SalesforceConnector(
    IHttpClientFactory httpClients,
    CrmSecrets secrets,
    CrmTokenCache tokens,
    IOptions<CrmOptions> options,
    TimeProvider clock,
    ILogger<SalesforceConnector> logger,
    CrmOwners? owners = null)
    : ICrmConnector
{
    public const int MaxCollectionSize = 200;

    // Keeps the query's URL well under the 16 KB Salesforce (and most proxies) accept: 100 SIDs are about 4.5 KB.
    private const int MaxSidsPerQuery = 100;

    public CrmProvider Provider => CrmProvider.Salesforce;

    private string DataPath => $"/services/data/{options.Value.SalesforceApiVersion}";

    public async Task<IReadOnlyList<CrmSyncOutcome>> WriteAsync(
        CrmConnection connection, IReadOnlyList<CallActivity> activities, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(CrmServiceCollectionExtensions.HttpClientName);
        var outcomes = new List<CrmSyncOutcome>(activities.Count);
        foreach (var chunk in activities.Chunk(MaxCollectionSize))
        {
            try
            {
                outcomes.AddRange(await WriteChunkAsync(http, connection, chunk, cancellationToken));
            }
            catch (CrmException e)
            {
                outcomes.AddRange(chunk.Select(a => CrmSyncOutcome.From(a.Key, e)));
                if (e.StopsOrg)
                {
                    var rest = activities.Skip(outcomes.Count);
                    outcomes.AddRange(rest.Select(a => CrmSyncOutcome.From(a.Key, e)));
                    break;
                }
            }
        }
        return outcomes;
    }

    public async Task<CrmConnectionTest> TestAsync(CrmConnection connection, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(CrmServiceCollectionExtensions.HttpClientName);
        try
        {
            var token = await TokenAsync(http, connection, refresh: true, cancellationToken);
            using var response = await SendAsync(http, connection, HttpMethod.Get, $"{DataPath}/sobjects/Task", null, cancellationToken);
            return new CrmConnectionTest(true, Provider, $"Signed in to {token.InstanceUrl} and read the Task object.");
        }
        catch (CrmException e)
        {
            return new CrmConnectionTest(false, Provider, e.Message);
        }
    }

    private async Task<IReadOnlyList<CrmSyncOutcome>> WriteChunkAsync(
        HttpClient http, CrmConnection connection, CallActivity[] chunk, CancellationToken cancellationToken)
    {
        var existing = await FindTasksAsync(http, connection, chunk, cancellationToken);
        var who = await CheckWhoIdsAsync(http, connection, chunk, cancellationToken);
        var owner = await OwnersAsync(http, connection, chunk, cancellationToken);
        var updates = chunk.Where(a => existing.ContainsKey(a.AgentCallSid)).ToList();
        var creates = chunk.Where(a => !existing.ContainsKey(a.AgentCallSid)).ToList();
        var outcomes = new Dictionary<ActivityKey, CrmSyncOutcome>();
        if (updates.Count > 0)
        {
            var records = updates.Select(a => SalesforceTask.Record(a, existing[a.AgentCallSid], who.Linked(a), owner(a)?.CrmUserId));
            await SaveAsync(http, connection, HttpMethod.Patch, updates, records, outcomes, cancellationToken);
        }
        if (creates.Count > 0)
        {
            var records = creates.Select(a => SalesforceTask.Record(a, null, who.Linked(a), owner(a)?.CrmUserId));
            await SaveAsync(http, connection, HttpMethod.Post, creates, records, outcomes, cancellationToken);
        }
        return chunk.Select(a => CrmOwners.WithWarning(who.Warn(a, outcomes[a.Key]), owner(a))).ToList();
    }

    /// <summary>
    /// The Salesforce User who owns each rep's Tasks: the active User whose Email or Username is the rep's email.
    /// A User the app may not read is treated as not found: the Task is still written, owned by the integration user.
    /// </summary>
    private async Task<Func<CallActivity, CrmOwner?>> OwnersAsync(
        HttpClient http, CrmConnection connection, CallActivity[] chunk, CancellationToken cancellationToken)
    {
        if (owners is null)
        {
            return _ => null;
        }
        var byUser = await owners.ResolveAsync(connection.OrgId, "Salesforce", chunk, async email =>
        {
            var literal = SalesforceTask.Literal(email);
            var soql = $"SELECT Id FROM User WHERE IsActive = true AND (Email = {literal} OR Username = {literal}) ORDER BY CreatedDate ASC LIMIT 1";
            try
            {
                using var response = await SendAsync(http, connection, HttpMethod.Get, $"{DataPath}/query?q={Uri.EscapeDataString(soql)}", null, cancellationToken);
                using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                return json.RootElement.GetProperty("records").EnumerateArray()
                    .Select(r => r.TryGetProperty("Id", out var id) ? id.GetString() : null)
                    .FirstOrDefault(id => id is { Length: 15 or 18 });
            }
            catch (CrmException e) when (e is { Kind: CrmErrorKind.Permanent, StopsOrg: false })
            {
                logger.LogWarning("Salesforce refused the User query of org {OrgId}: {Error}", connection.OrgId, e.Message);
                return null;
            }
        }, cancellationToken);
        return a => a.UserId is { } userId && byUser.TryGetValue(userId, out var found) ? found : null;
    }

    /// <summary>
    /// Reads the Contacts (003…) and Leads (00Q…) the chunk's whoIds name and keeps each whoId only when that record's
    /// phone numbers include the number dialed.
    /// </summary>
    private async Task<WhoIds> CheckWhoIdsAsync(
        HttpClient http, CrmConnection connection, CallActivity[] chunk, CancellationToken cancellationToken)
    {
        var named = chunk.Select(a => a.CrmView.CrmWhoId).OfType<string>().Where(w => w.Length is 15 or 18).Distinct(StringComparer.Ordinal).ToList();
        var phones = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var (sObject, prefix, fields) in WhoObjects)
        {
            foreach (var part in named.Where(w => w.StartsWith(prefix, StringComparison.Ordinal)).Chunk(MaxSidsPerQuery))
            {
                var soql = $"SELECT Id, {string.Join(", ", fields)} FROM {sObject} WHERE Id IN ({string.Join(",", part.Select(SalesforceTask.Literal))})";
                try
                {
                    using var response = await SendAsync(http, connection, HttpMethod.Get, $"{DataPath}/query?q={Uri.EscapeDataString(soql)}", null, cancellationToken);
                    using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                    foreach (var record in json.RootElement.GetProperty("records").EnumerateArray())
                    {
                        if (record.TryGetProperty("Id", out var id) && id.GetString() is { Length: >= 15 } recordId)
                        {
                            phones[recordId[..15]] = fields
                                .Select(f => record.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                                .ToList();
                        }
                    }
                }
                catch (CrmException e) when (e is { Kind: CrmErrorKind.Permanent, StopsOrg: false })
                {
                    // The app may not read these records: their whoIds stay out of the Tasks, each with a warning.
                    logger.LogWarning("Salesforce refused the {SObject} query of org {OrgId}: {Error}", sObject, connection.OrgId, e.Message);
                }
            }
        }
        return new WhoIds(phones);
    }

    private static readonly (string SObject, string Prefix, string[] Fields)[] WhoObjects =
    [
        ("Contact", "003", ["Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone"]),
        ("Lead", "00Q", ["Phone", "MobilePhone"]),
    ];

    /// <summary>The phone numbers of each Contact or Lead found, by the first 15 characters of its id.</summary>
    private sealed class WhoIds(Dictionary<string, List<string?>> phonesById)
    {
        /// <summary>The activity's whoId when its record lists the number dialed; null otherwise.</summary>
        public string? Linked(CallActivity activity) =>
            activity.CrmView.CrmWhoId is { Length: >= 15 } whoId
            && phonesById.TryGetValue(whoId[..15], out var phones)
            && CrmWhoCheck.ListsNumber(activity.CrmView.ProspectNumber, phones)
                ? whoId
                : null;

        /// <summary>The outcome, with a warning when a whoId the rep gave was left out.</summary>
        public CrmSyncOutcome Warn(CallActivity activity, CrmSyncOutcome outcome) =>
            outcome.Result == CrmSyncResult.Synced && activity.CrmView.CrmWhoId is { Length: > 0 } whoId && Linked(activity) is null
                ? outcome with { Warning = CrmWhoCheck.NotLinked(whoId) }
                : outcome;
    }

    /// <summary>The Task id for each call SID that already has one (the oldest, should an earlier bug have made two).</summary>
    private async Task<Dictionary<string, string>> FindTasksAsync(
        HttpClient http, CrmConnection connection, CallActivity[] chunk, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in chunk.Select(a => a.AgentCallSid).Distinct().Chunk(MaxSidsPerQuery))
        {
            var sids = string.Join(",", part.Select(SalesforceTask.Literal));
            var soql = $"SELECT Id, CallObject FROM Task WHERE CallObject IN ({sids}) ORDER BY CreatedDate ASC";
            using var response = await SendAsync(http, connection, HttpMethod.Get, $"{DataPath}/query?q={Uri.EscapeDataString(soql)}", null, cancellationToken);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            foreach (var record in json.RootElement.GetProperty("records").EnumerateArray())
            {
                if (record.GetProperty("CallObject").GetString() is { } sid)
                {
                    found.TryAdd(sid, record.GetProperty("Id").GetString()!);
                }
            }
        }
        return found;
    }

    private async Task SaveAsync(
        HttpClient http, CrmConnection connection, HttpMethod method, List<CallActivity> activities, IEnumerable<JsonObject> records,
        Dictionary<ActivityKey, CrmSyncOutcome> outcomes, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["allOrNone"] = false, ["records"] = new JsonArray([.. records]) };
        using var response = await SendAsync(http, connection, method, $"{DataPath}/composite/sobjects", body, cancellationToken);
        var results = await response.Content.ReadFromJsonAsync<List<SaveResult>>(cancellationToken) ?? [];
        for (var i = 0; i < activities.Count; i++)
        {
            var key = activities[i].Key;
            outcomes[key] = i >= results.Count
                ? CrmSyncOutcome.RetryLater(key, "Salesforce returned no result for this record.", null)
                : Outcome(key, results[i]);
        }
    }

    /// <summary>A record's result; Salesforce's message is logged under a trace id, only its code is passed on.</summary>
    private CrmSyncOutcome Outcome(ActivityKey key, SaveResult result)
    {
        if (result.Success && result.Id is { } id)
        {
            return CrmSyncOutcome.Synced(key, id);
        }
        var error = result.Errors?.FirstOrDefault();
        var traceId = CrmErrorText.NewTraceId();
        logger.LogWarning("Salesforce did not save the Task of {Key} (trace {TraceId}): {Code} {Message} fields {Fields}",
            key, traceId, error?.StatusCode, error?.Message, error?.Fields is { } f ? string.Join(", ", f) : null);
        var code = CrmErrorText.Code(error?.StatusCode);
        var message = code is null
            ? $"Salesforce did not save the record (trace {traceId})."
            : $"Salesforce did not save the record: {code} (trace {traceId}).";
        return SalesforceErrors.IsTransientRecordError(error?.StatusCode)
            ? CrmSyncOutcome.RetryLater(key, message, null)
            : CrmSyncOutcome.Failed(key, message);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpClient http, CrmConnection connection, HttpMethod method, string pathAndQuery, JsonObject? body, CancellationToken cancellationToken) =>
        await CrmHttp.SendAuthorizedAsync(
            http,
            refresh => TokenAsync(http, connection, refresh, cancellationToken),
            token =>
            {
                var request = new HttpRequestMessage(method, new Uri(new Uri(token.InstanceUrl!), pathAndQuery));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }
                return request;
            },
            SalesforceErrors.Instance,
            clock,
            logger,
            cancellationToken);

    /// <summary>OAuth 2.0 client credentials at the org's My Domain; Salesforce gives no expiry, so a 401 renews it.</summary>
    private Task<CrmToken> TokenAsync(HttpClient http, CrmConnection connection, bool refresh, CancellationToken cancellationToken) =>
        tokens.GetAsync(CrmTokenCache.KeyOf(connection), refresh, async () =>
        {
            var loginUrl = CrmHosts.AllowedBaseUrl(Provider, connection.InstanceUrl, options.Value.AllowLoopbackHttp)
                ?? throw new CrmException(CrmErrorKind.Permanent,
                    "The org's Salesforce URL is not a Salesforce host; an admin must save the CRM setting again.") { StopsOrg = true };
            var secret = await secrets.GetAsync(connection.OrgId, cancellationToken);
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(loginUrl), "/services/oauth2/token"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = connection.ClientId!,
                    ["client_secret"] = secret,
                }),
            };
            using var response = await CrmHttp.SendTokenRequestAsync(http, request, SalesforceErrors.Instance, clock, logger, cancellationToken);
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
            if (token?.AccessToken is not { Length: > 0 } accessToken || token.InstanceUrl is not { Length: > 0 } instanceUrl)
            {
                throw new CrmException(CrmErrorKind.Permanent, "Salesforce's token response has no access_token or instance_url.") { StopsOrg = true };
            }
            // The token is sent wherever instance_url points, so it must be a Salesforce host like the login URL.
            var instance = CrmHosts.AllowedBaseUrl(Provider, instanceUrl, options.Value.AllowLoopbackHttp);
            if (instance is null)
            {
                logger.LogWarning("Salesforce's token response for org {OrgId} names instance_url {InstanceUrl}, which is not a Salesforce host",
                    connection.OrgId, instanceUrl);
                throw new CrmException(CrmErrorKind.Permanent,
                    "Salesforce's token response names an instance_url that is not a Salesforce host; the token was not used.") { StopsOrg = true };
            }
            return new CrmToken(accessToken, null, instance);
        });

    private sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string? AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("instance_url")] string? InstanceUrl);

    private sealed record SaveResult(string? Id, bool Success, List<SaveError>? Errors);

    private sealed record SaveError(string? StatusCode, string? Message, List<string>? Fields);
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm.Dynamics;

/// <summary>
/// Writes each call as a phonecall through the Dataverse Web API v9.2: a PATCH to <c>phonecalls(activityid)</c>
/// without If-Match is an upsert, and the activityid is a name-based UUID of the call SID, so the first write
/// creates the phonecall and every later one updates the same record.
/// </summary>
public sealed class DynamicsConnector(
    IHttpClientFactory httpClients,
    CrmSecrets secrets,
    DynamicsCredentials credentials,
    IOptions<CrmOptions> options,
    TimeProvider clock,
    ILogger<DynamicsConnector> logger,
    CrmOwners? owners = null)
    : ICrmConnector
{
    private const string ApiPath = "/api/data/v9.2";

    public CrmProvider Provider => CrmProvider.Dynamics;

    public async Task<IReadOnlyList<CrmSyncOutcome>> WriteAsync(
        CrmConnection connection, IReadOnlyList<CallActivity> activities, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(CrmServiceCollectionExtensions.HttpClientName);
        var outcomes = new List<CrmSyncOutcome>(activities.Count);
        foreach (var activity in activities)
        {
            var id = NameBasedGuid.ForCallSid(activity.AgentCallSid);
            try
            {
                var regarding = await CheckRegardingAsync(http, connection, activity, cancellationToken);
                var owner = await OwnerAsync(http, connection, activity, cancellationToken);
                var body = DynamicsPhoneCall.Body(activity, regarding);
                if (owner?.CrmUserId is { } systemUserId)
                {
                    body["ownerid@odata.bind"] = $"/systemusers({systemUserId})";
                }
                using var response = await SendAsync(http, connection, HttpMethod.Patch, $"phonecalls({id:D})", body, cancellationToken);
                var synced = CrmSyncOutcome.Synced(activity.Key, id.ToString("D"));
                outcomes.Add(CrmOwners.WithWarning(regarding is null && activity.CrmView.CrmWhoId is { Length: > 0 } whoId
                    ? synced with { Warning = CrmWhoCheck.NotLinked(whoId) }
                    : synced, owner));
            }
            catch (CrmException e)
            {
                outcomes.Add(CrmSyncOutcome.From(activity.Key, e));
                if (e.StopsOrg)
                {
                    outcomes.AddRange(activities.Skip(outcomes.Count).Select(a => CrmSyncOutcome.From(a.Key, e)));
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
            await TokenAsync(connection, refresh: true, cancellationToken);
            using var response = await SendAsync(http, connection, HttpMethod.Get, "WhoAmI", null, cancellationToken);
            return new CrmConnectionTest(true, Provider, $"Signed in to {connection.InstanceUrl} (WhoAmI answered).");
        }
        catch (CrmException e)
        {
            return new CrmConnectionTest(false, Provider, e.Message);
        }
    }

    /// <summary>
    /// The contact or lead the rep's whoId names, when that record's telephone1-3 or mobilephone is the number dialed;
    /// null when there is none, it cannot be read, or it lists other numbers.
    /// </summary>
    private async Task<(string Property, string Reference)?> CheckRegardingAsync(
        HttpClient http, CrmConnection connection, CallActivity activity, CancellationToken cancellationToken)
    {
        if (DynamicsPhoneCall.Regarding(activity.CrmView.CrmWhoId) is not { } regarding)
        {
            return null;
        }
        var path = $"{regarding.Reference.TrimStart('/')}?$select={string.Join(",", PhoneColumns)}";
        try
        {
            using var response = await SendAsync(http, connection, HttpMethod.Get, path, null, cancellationToken);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var phones = PhoneColumns.Select(c =>
                json.RootElement.TryGetProperty(c, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null);
            return CrmWhoCheck.ListsNumber(activity.CrmView.ProspectNumber, phones) ? regarding : null;
        }
        catch (CrmException e) when (e is { Kind: CrmErrorKind.Permanent, StopsOrg: false })
        {
            // Not found or not readable: the phonecall is written without it, and the outcome says so.
            return null;
        }
    }

    /// <summary>
    /// The enabled systemuser whose internalemailaddress is the rep's email; null (the application user owns the
    /// phonecall) when there is none or systemusers cannot be read.
    /// </summary>
    private async Task<CrmOwner?> OwnerAsync(HttpClient http, CrmConnection connection, CallActivity activity, CancellationToken cancellationToken)
    {
        if (owners is null)
        {
            return null;
        }
        var byUser = await owners.ResolveAsync(connection.OrgId, "Dynamics", [activity], async email =>
        {
            var filter = Uri.EscapeDataString($"internalemailaddress eq '{email.Replace("'", "''")}' and isdisabled eq false");
            try
            {
                using var response = await SendAsync(http, connection, HttpMethod.Get, $"systemusers?$select=systemuserid&$filter={filter}&$top=1", null, cancellationToken);
                using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                return json.RootElement.GetProperty("value").EnumerateArray()
                    .Select(u => u.TryGetProperty("systemuserid", out var id) && Guid.TryParse(id.GetString(), out var guid) ? guid.ToString("D") : null)
                    .FirstOrDefault(id => id is not null);
            }
            catch (CrmException e) when (e is { Kind: CrmErrorKind.Permanent, StopsOrg: false })
            {
                logger.LogWarning("Dynamics refused the systemuser query of org {OrgId}: {Error}", connection.OrgId, e.Message);
                return null;
            }
        }, cancellationToken);
        return activity.UserId is { } userId && byUser.TryGetValue(userId, out var owner) ? owner : null;
    }

    private static readonly string[] PhoneColumns = ["telephone1", "telephone2", "telephone3", "mobilephone"];

    private Task<HttpResponseMessage> SendAsync(
        HttpClient http, CrmConnection connection, HttpMethod method, string relativePath, JsonObject? body, CancellationToken cancellationToken) =>
        CrmHttp.SendAuthorizedAsync(
            http,
            refresh => TokenAsync(connection, refresh, cancellationToken),
            token =>
            {
                var request = new HttpRequestMessage(method, $"{OrgUrl(connection, options.Value)}{ApiPath}/{relativePath}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.Add("OData-MaxVersion", "4.0");
                request.Headers.Add("OData-Version", "4.0");
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }
                return request;
            },
            DynamicsErrors.Instance,
            clock,
            logger,
            cancellationToken);

    /// <summary>A token by client credentials for the environment's <c>/.default</c> scope (see <see cref="DynamicsCredentials"/>).</summary>
    private async Task<CrmToken> TokenAsync(CrmConnection connection, bool refresh, CancellationToken cancellationToken)
    {
        var orgUrl = OrgUrl(connection, options.Value);
        var secret = await secrets.GetAsync(connection.OrgId, cancellationToken);
        return await credentials.TokenAsync(connection, orgUrl, secret, refresh, cancellationToken);
    }

    /// <summary>The environment URL, checked again at every use: a row saved before the allow-list is not trusted.</summary>
    private static string OrgUrl(CrmConnection connection, CrmOptions options) =>
        CrmHosts.AllowedBaseUrl(CrmProvider.Dynamics, connection.InstanceUrl, options.AllowLoopbackHttp)
        ?? throw new CrmException(CrmErrorKind.Permanent,
            "The org's Dynamics URL is not a dynamics.com host; an admin must save the CRM setting again.") { StopsOrg = true };
}

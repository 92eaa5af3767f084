using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Playbooks.Calling;
using Playbooks.Calling.Crm;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

internal static class CrmResponses
{
    /// <summary>The setting without its org (the caller's own) and with its version as the ETag for the next If-Match.</summary>
    public static IActionResult Setting(HttpRequest request, Result<CrmConnection> result) =>
        result.ToActionResult(c =>
        {
            if (c.Version is { } version)
            {
                request.HttpContext.Response.Headers.ETag = version;
            }
            return new OkObjectResult(new
            {
                provider = c.Provider,
                instanceUrl = c.InstanceUrl,
                tenantId = c.TenantId,
                clientId = c.ClientId,
                clientSecretName = c.ClientSecretName,
                version = c.Version,
            });
        });

    public static IActionResult SecretStatus(CrmSecretStatus status) =>
        new OkObjectResult(new { clientSecretName = status.ClientSecretName, clientSecretSet = status.IsSet });
}

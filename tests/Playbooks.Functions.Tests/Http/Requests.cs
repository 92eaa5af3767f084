using System.Text;
using Microsoft.AspNetCore.Http;
using Playbooks.Calling.Identity;

namespace Playbooks.Functions.Tests.Http;

/// <summary>Requests as the pipeline hands them to a function: with an authenticated caller.</summary>
internal static class Requests
{
    public static Caller Rep { get; } = new("org-1", "rep-1", "Rita Rep", new HashSet<string> { AppRoles.Rep });

    public static HttpRequest For(Caller caller, string query = "", string? json = null, string? ifMatch = null)
    {
        var http = new DefaultHttpContext();
        http.Items[typeof(Caller)] = caller;
        http.Request.QueryString = new QueryString(query);
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }
        if (ifMatch is not null)
        {
            http.Request.Headers.IfMatch = ifMatch;
        }
        return http.Request;
    }
}

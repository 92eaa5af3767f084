using Playbooks.Calling.Identity;

namespace Playbooks.Calling.Tests.OrgDirectory;

internal static class Callers
{
    public static Caller Rep(string orgId, string userId = "rep-1") => new(orgId, userId, "Rita Rep", new HashSet<string> { AppRoles.Rep });

    public static Caller Manager(string orgId, string userId = "manager-1") => new(orgId, userId, "Manny Manager", new HashSet<string> { AppRoles.Manager });

    public static Caller Admin(string orgId, string userId = "admin-1") => new(orgId, userId, "Ada Admin", new HashSet<string> { AppRoles.Admin });

    public static Caller Support(string orgId = "vendor", string userId = "support-1") => new(orgId, userId, "Sue Support", new HashSet<string> { AppRoles.Support });
}

namespace Playbooks.DevServer.DevSignIn;

internal static class DemoUsers
{
    public static readonly IReadOnlyList<DevUser> All =
    [
        new("rep-both", "acme-demo", "Riley Rep (both methods)", ["Rep"]),
        new("rep-phone", "acme-demo", "Pat Phone (phone only)", ["Rep"]),
        new("manager", "acme-demo", "Morgan Manager", ["Manager", "Rep"]),
        new("admin", "acme-demo", "Alex Admin", ["Admin"]),
        new("support", "acme-demo", "Sam Support", ["Support"]),
    ];
}

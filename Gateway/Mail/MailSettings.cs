using MailKit.Security;
using MimeKit;
using TourPlanner.Gateway.Infrastructure;

namespace TourPlanner.Gateway.Mail;

/// <summary>How to reach the SMTP server (<c>Mail</c> section). Unset <c>Mail:SmtpHost</c> or <c>Mail:From</c>: nothing is sent.</summary>
public sealed record MailSettings
{
    public const string Section = "Mail";

    public string? SmtpHost { get; init; }
    /// <summary>0: the usual port for <see cref="Security"/> (587 STARTTLS, 465 TLS on connect, 25 plain).</summary>
    public int Port { get; init; }
    public string? From { get; init; }
    public string? UserName { get; init; }
    public string? Password { get; init; }
    /// <summary><c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c>.</summary>
    public string Security { get; init; } = "StartTls";
    /// <summary>An organizer gets at most one message of new claims and releases per period.</summary>
    public TimeSpan DigestPeriod { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>How often the sender looks for mail to send.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The first retry's delay; each further one doubles it, up to an hour.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The most one SMTP exchange (connect, authenticate, each message) may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SmtpHost) && !string.IsNullOrWhiteSpace(From);

    public SecureSocketOptions SocketOptions => Security switch
    {
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "None" => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    public int EffectivePort => Port > 0 ? Port : Security switch { "SslOnConnect" => 465, "None" => 25, _ => 587 };

    public MailboxAddress FromAddress => MailboxAddress.Parse(From!);

    /// <summary>The domain of <see cref="From"/>, for Message-IDs.</summary>
    public string Domain => FromAddress.Domain is { Length: > 0 } d ? d : "tourplanner";

    public const string OffNotConfigured = "mail-not-configured";
    public const string OffNoPublicAddress = "public-base-url-unset";

    /// <summary>Why nothing is sent, as a stable code, or null when mail is on.</summary>
    public string? OffReason(PublicLinks links) =>
        !IsConfigured ? OffNotConfigured : !links.IsConfigured ? OffNoPublicAddress : null;

    /// <summary>Reads and checks the section; a bad value stops start-up with a message that names the key.</summary>
    public static MailSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<MailSettings>() ?? new MailSettings();
        if (settings.Security is not ("StartTls" or "SslOnConnect" or "None"))
            throw new InvalidOperationException($"Mail:Security must be StartTls, SslOnConnect or None (got '{settings.Security}').");
        if (settings.Port is < 0 or > 65535) throw new InvalidOperationException($"Mail:Port must be a TCP port (got {settings.Port}).");
        if (!string.IsNullOrWhiteSpace(settings.From) && !MailboxAddress.TryParse(settings.From, out _))
            throw new InvalidOperationException($"Mail:From must be an e-mail address, e.g. tours@example.org (got '{settings.From}').");
        if (settings.DigestPeriod <= TimeSpan.Zero || settings.PollInterval <= TimeSpan.Zero || settings.RetryDelay <= TimeSpan.Zero || settings.Timeout <= TimeSpan.Zero)
            throw new InvalidOperationException("Mail:DigestPeriod, Mail:PollInterval, Mail:RetryDelay and Mail:Timeout must be positive.");
        return settings;
    }
}

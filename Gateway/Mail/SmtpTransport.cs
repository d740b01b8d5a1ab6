using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Mail;

/// <summary>
/// Hands messages to the SMTP server with MailKit, one connection per batch, every step bounded by
/// <see cref="MailSettings.Timeout"/>. A refusal the server gives as permanent (5xx) for a message is not retried;
/// anything else (connection refused or dropped, 4xx, a timeout) is, later.
/// </summary>
public sealed class SmtpTransport(MailSettings settings, ILogger<SmtpTransport> logger)
{
    public async Task<List<MailResult>> SendAsync(IReadOnlyList<(string Key, MimeMessage Message)> batch, CancellationToken cancellationToken)
    {
        var results = new List<MailResult>(batch.Count);
        if (batch.Count == 0) return results;
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout * (batch.Count + 2));
        try
        {
            await client.ConnectAsync(settings.SmtpHost!, settings.EffectivePort, settings.SocketOptions, deadline.Token);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", deadline.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = Describe(ex);
            logger.LogWarning("Mail server {Host}:{Port} not reachable: {Reason}", settings.SmtpHost, settings.EffectivePort, reason.ToString());
            results.AddRange(batch.Select(b => Failed(b.Key, b.Message, reason, permanent: ex is MailKit.Security.AuthenticationException)));
            return results;
        }

        foreach (var (key, message) in batch)
        {
            if (!client.IsConnected)
            {
                results.Add(Failed(key, message, Text.Of(MailCodes.FailConnectionLost), permanent: false));
                continue;
            }
            try
            {
                await client.SendAsync(message, deadline.Token);
                results.Add(new MailResult { Key = key, Status = MailStatus.Sent, To = To(message) });
            }
            catch (SmtpCommandException ex)
            {
                results.Add(Failed(key, message, Describe(ex, message), permanent: (int)ex.StatusCode >= 500));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                results.Add(Failed(key, message, Describe(ex, message), permanent: false));
            }
        }
        try
        {
            if (client.IsConnected) await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ProtocolException or OperationCanceledException)
        {
            // Every message was already accepted or refused; a rough goodbye changes nothing.
        }
        return results;
    }

    private static MailResult Failed(string key, MimeMessage message, Text reason, bool permanent) =>
        new() { Key = key, Status = MailStatus.Failed, Reason = reason, Permanent = permanent, To = To(message) };

    private static string To(MimeMessage message) => string.Join(", ", message.To.Mailboxes.Select(m => m.Address));

    /// <summary>
    /// Why, for the organizer's page (never a stack trace): a code the catalogue words, with the server's own answer
    /// or the network's error name inside it, short. The recipient's address is taken out of the answer (servers
    /// often repeat it): the reason is stored with the message, where no address is kept in the clear.
    /// </summary>
    public static Text Describe(Exception ex, MimeMessage? message = null) => ex switch
    {
        SmtpCommandException c => Text.Of(MailCodes.FailServerAnswer, Arg.Number("status", (int)c.StatusCode), Arg.Plain("answer", Short(Hide(c.Message, message)))),
        MailKit.Security.AuthenticationException => Text.Of(MailCodes.FailAuthentication),
        SocketException s => Text.Of(MailCodes.FailNetwork, Arg.Plain("error", s.SocketErrorCode.ToString())),
        OperationCanceledException or TimeoutException => Text.Of(MailCodes.FailTimeout),
        _ when ex.InnerException is SocketException s => Text.Of(MailCodes.FailNetwork, Arg.Plain("error", s.SocketErrorCode.ToString())),
        _ => Text.Of(MailCodes.FailOther, Arg.Plain("error", Short(Hide(ex.Message, message)))),
    };

    private static string Hide(string text, MimeMessage? message)
    {
        if (message is null) return text;
        foreach (var mailbox in message.To.Mailboxes.Concat(message.Cc.Mailboxes).Where(m => m.Address.Length > 0))
            text = text.Replace(mailbox.Address, "(recipient)", StringComparison.OrdinalIgnoreCase);
        return text;
    }

    private static string Short(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}

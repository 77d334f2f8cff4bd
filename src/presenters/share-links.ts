/**
 * Share links for an article: plain links to each service's own share page (no third-party
 * script, widget or request until the reader clicks), and a mail draft. Copying the link is
 * the one enhancement, by `src/client/share.ts`.
 */
export function shareLinks(url: string, title: string) {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return {
    url,
    services: [
      { id: 'telegram', name: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${t}` },
      { id: 'vk', name: 'VK', href: `https://vk.com/share.php?url=${u}&title=${t}` },
      {
        id: 'whatsapp',
        name: 'WhatsApp',
        href: `https://wa.me/?text=${encodeURIComponent(`${title} ${url}`)}`,
      },
    ],
    mailto: `mailto:?subject=${t}&body=${u}`,
  };
}

// The message delivery methods of DESIGN.md §5 (docs/migration.md, "Delivery methods"): how the
// messages sent to a moving process reach it. prevent (the link update: every peer kernel told
// at the freeze, the source buffers what still reaches it), redirect (peers keep sending to the
// old address; every node the process left keeps a forwarding link, collapsed lazily) and
// recover (the source buffers nothing: what reaches it during the transfer is dropped, and the
// senders' kernels resend once the new address is announced). `sterna boot --delivery` sets
// every node's method; the source's decides for a process leaving it.

export const deliveryMethods = ["prevent", "redirect", "recover"] as const;
export type DeliveryMethod = (typeof deliveryMethods)[number];
export const deliveryMethodDefault: DeliveryMethod = "prevent";

export function isDeliveryMethod(text: string): text is DeliveryMethod {
  return (deliveryMethods as readonly string[]).includes(text);
}

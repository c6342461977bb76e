import { describe, expect, it } from "vitest";
import { renderAlert } from "../../../src/consumers/email/templates/alert";
import { escapeHtml } from "../../../src/consumers/email/templates/html";
import { renderOrderCancelled, renderOrderConfirmed } from "../../../src/consumers/email/templates/order";
import { renderWelcome } from "../../../src/consumers/email/templates/welcome";

const user = { userId: "usr_1", email: "ada@example.com", name: "Ada", role: "buyer" as const };

describe("email templates", () => {
  it("welcomes a buyer with the buyer's next step", () => {
    const email = renderWelcome(user);
    expect(email.subject).toBe("Welcome to Crossdock, Ada");
    expect(email.text).toContain("Hello Ada,");
    expect(email.text).toContain("buyer account");
    expect(email.text).not.toContain("merchant");
    expect(email.html).toContain("buyer account");
  });

  it("welcomes a merchant with the merchant's next step", () => {
    const email = renderWelcome({ ...user, role: "merchant" });
    expect(email.text).toContain("merchant account");
    expect(email.text).toContain("API key");
    expect(email.html).toContain("merchant account");
  });

  it("escapes what the user typed in the HTML part, and only there", () => {
    const email = renderWelcome({ ...user, name: `<script>alert("x")</script> & 'co'` });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;");
    expect(email.text).toContain(`<script>alert("x")</script> & 'co'`);
  });

  it("tells the operators which rule fired, the value against its threshold, and the alert id", () => {
    const email = renderAlert({
      alertId: "alr_1",
      rule: "dead-letters-count",
      metric: "dead_letters.count",
      value: 3,
      threshold: 2,
      message: "dead_letters.count is 3, above the threshold of 2 <rule>.",
    });
    expect(email.subject).toBe("[Crossdock alert] dead-letters-count");
    expect(email.text).toContain("dead_letters.count = 3 (threshold 2)");
    expect(email.text).toContain("alr_1");
    expect(email.html).toContain("&lt;rule&gt;");
  });

  it("escapeHtml escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});

describe("order email templates", () => {
  const order = {
    orderId: "ord_1",
    buyerId: "usr_1",
    lines: [{ productId: "prd_1", quantity: 2, unitPrice: 1250, merchantId: "usr_m" }],
    amount: 2950,
    currency: "USD",
  };
  const titles = new Map([["prd_1", "Blue <mug>"]]);

  it("confirms the order with its lines and total", () => {
    const email = renderOrderConfirmed(order, titles);
    expect(email.subject).toBe("Your Crossdock order ord_1 is confirmed");
    expect(email.text).toContain("2 × Blue <mug> — $25.00");
    expect(email.text).toContain("Total: $29.50");
    expect(email.html).toContain("Blue &lt;mug&gt;");
  });

  it("tells the buyer why the order was cancelled, and that nothing was charged", () => {
    const declined = renderOrderCancelled(
      { ...order, reason: { code: "payment-declined", message: "your card was declined" } },
      titles,
    );
    expect(declined.text).toContain("Your order was cancelled: your card was declined.");
    expect(declined.text).toContain("You have not been charged");
    const asked = renderOrderCancelled(
      { ...order, reason: { code: "requested-by-buyer", message: "cancelled at your request" } },
      new Map(),
    );
    expect(asked.text).toContain("Your order was cancelled at your request.");
    expect(asked.text).toContain("2 × prd_1");
  });
});

// linkform: an admin issues a one-time sign-in link for a person and shows
// it as a QR code the person scans with their phone, and as a URL to send.
import { addStrings, apply, t } from "./i18n.js";
import { api } from "./api.js";

addStrings({
  "links.heading": "发登录链接",
  "links.role": "角色",
  "links.scope": "站点代码 / 快递代码 / 企业编号",
  "links.name": "姓名",
  "links.issue": "生成登录二维码",
  "links.valid": "{name} 的登录链接，只能使用一次，有效期至 {until}",
  "links.copy": "复制链接",
}, {
  "links.heading": "Issue a sign-in link",
  "links.role": "Role",
  "links.scope": "Station code / carrier code / merchant id",
  "links.name": "Name",
  "links.issue": "Make the sign-in QR code",
  "links.valid": "Sign-in link for {name}; works once, until {until}",
  "links.copy": "Copy link",
});

/** mountLinkForm fills el with the form and, once issued, the QR code. */
export function mountLinkForm(el) {
  el.classList.add("card");
  el.innerHTML = `
    <h2 data-i18n="links.heading"></h2>
    <form id="link-form">
      <label><span data-i18n="links.role"></span>
        <select id="link-role">
          <option value="keeper" data-i18n="shell.role.keeper"></option>
          <option value="admin" data-i18n="shell.role.admin"></option>
          <option value="carrier" data-i18n="shell.role.carrier"></option>
          <option value="merchant" data-i18n="shell.role.merchant"></option>
        </select></label>
      <label><span data-i18n="links.scope"></span> <input id="link-scope" autocomplete="off"></label>
      <label><span data-i18n="links.name"></span> <input id="link-name" autocomplete="off"></label>
      <button class="primary" type="submit" data-i18n="links.issue"></button>
    </form>
    <p id="link-error" class="error" role="alert"></p>
    <div id="link-out" hidden>
      <img id="link-qr" alt="QR" width="256" height="256">
      <p id="link-valid"></p>
      <input id="link-url" readonly>
      <button class="secondary" type="button" id="link-copy" data-i18n="links.copy"></button>
    </div>`;
  apply(el);
  const $ = (id) => el.querySelector("#" + id);
  $("link-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("link-error").textContent = "";
    const role = $("link-role").value;
    try {
      const l = await api("POST", "/v1/login-links", {
        role, scope: role === "admin" ? "" : $("link-scope").value.trim(), name: $("link-name").value.trim(),
      });
      $("link-qr").src = l.qr_png;
      $("link-url").value = l.url;
      $("link-valid").textContent = t("links.valid", { name: l.name, until: new Date(l.expires_at).toLocaleString() });
      $("link-out").hidden = false;
    } catch (e) {
      $("link-error").textContent = e.text ? e.text() : String(e);
    }
  });
  $("link-copy").addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText($("link-url").value));
}

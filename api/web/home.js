// The home page: who is signed in and where to go; an admin issues sign-in
// links here (the county centre's own pages may mount the same form).
import { addStrings, apply } from "./shell/i18n.js";
import { whoami } from "./shell/session.js";
import { mountHeader } from "./shell/header.js";
import { mountLinkForm } from "./shell/linkform.js";

addStrings({ "home.title": "统配 tongpei", "home.heading": "统配 · 县域物流", "home.station": "打开驿站", "home.costs": "车队费用分摊与结算" },
  { "home.title": "tongpei", "home.heading": "tongpei · county logistics", "home.station": "Open the station", "home.costs": "Fleet cost shares and settlement" });

const me = await whoami().catch(() => null);
mountHeader(document.getElementById("top"), "home.heading", me);
document.getElementById("home-signedout").hidden = !!me;
document.getElementById("home-keeper").hidden = !(me && me.role === "keeper");
document.getElementById("home-costs").hidden = !(me && ["admin", "carrier", "keeper"].includes(me.role));
if (me && me.role === "admin") {
  const box = document.getElementById("home-links");
  box.hidden = false;
  box.append(Object.assign(document.createElement("p"), { innerHTML: '<a href="/ops" id="to-ops">县物流中心 · 每日调度 / daily dispatch</a> · <a href="/prices">公开价格 / public prices</a>' }));
  mountLinkForm(box);
}
apply();

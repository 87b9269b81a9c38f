/* The visitor's own time under each online or hybrid session's time: "Your time: Wed 9 Dec,
   10:30 pm IST". It reads only <time data-local-time datetime="...+05:30"> (the session's start
   with its UTC offset), adds a line after the time's paragraph, list item or definition, and
   adds nothing when the visitor's clock shows the same time as the session's zone. No request,
   no framework; without it the page shows the session's own time, complete. */
(function () {
  "use strict";
  var days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  // Zone names in English, as the visitor's region writes them ("IST" in India, "CET" in Germany).
  var region = /-([A-Za-z]{2})\b/.exec(navigator.language || "");
  var names;
  try {
    names = new Intl.DateTimeFormat(region ? "en-" + region[1] : "en", { timeZoneName: "short" });
  } catch (error) {
    names = new Intl.DateTimeFormat("en", { timeZoneName: "short" });
  }

  function zoneName(when) {
    var parts = names.formatToParts(when);
    for (var i = 0; i < parts.length; i += 1) {
      if (parts[i].type === "timeZoneName") return parts[i].value;
    }
    return "";
  }

  // The offset written in the datetime attribute, in minutes east of UTC; null if none.
  function writtenOffset(text) {
    var match = /(?:([+-])(\d\d):?(\d\d)|Z)$/.exec(text);
    if (!match) return null;
    return match[1] ? (match[1] === "-" ? -1 : 1) * (60 * +match[2] + +match[3]) : 0;
  }

  function localText(when) {
    var hours = when.getHours();
    var minutes = when.getMinutes();
    return days[when.getDay()] + " " + when.getDate() + " " + months[when.getMonth()] + ", " +
      (hours % 12 || 12) + ":" + (minutes < 10 ? "0" : "") + minutes + " " +
      (hours < 12 ? "am" : "pm") + " " + zoneName(when);
  }

  var times = document.querySelectorAll("time[data-local-time]");
  for (var i = 0; i < times.length; i += 1) {
    var text = times[i].getAttribute("datetime") || "";
    var offset = writtenOffset(text);
    var when = new Date(text);
    if (offset === null || isNaN(when.getTime()) || offset === -when.getTimezoneOffset()) continue;
    var line = document.createElement("span");
    line.className = "hq-local-time";
    line.textContent = "Your time: " + localText(when);
    var host = times[i].closest("li, p, dd") || times[i].parentNode;
    host.appendChild(document.createTextNode(" "));
    host.appendChild(line);
  }
})();

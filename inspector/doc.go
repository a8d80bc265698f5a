// Package inspector talks to a running Node.js process over the inspector
// protocol (the Chrome DevTools Protocol that `node --inspect` serves on a
// WebSocket) and captures V8 heap snapshots from it.
//
// Resolve turns what a user types (a ws:// URL, host:port, a bare port, or
// pid:N) into the WebSocket URL of one inspector target; Dial opens a
// Session on it; Capture streams a snapshot from the session into a
// writer chunk by chunk, so a multi-GB heap costs the capturing process a
// few MB; CaptureFile writes it gzip-compressed and removes a partial file.
package inspector

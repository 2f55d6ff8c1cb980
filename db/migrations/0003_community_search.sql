-- Full-text search over thread titles and bodies that works for Chinese: FTS5's trigram
-- tokenizer matches any substring of 3+ characters (shorter queries fall back to LIKE in
-- app/models/community.server.ts). An external-content table kept in sync by triggers.
CREATE VIRTUAL TABLE `thread_search` USING fts5(title, body, content='threads', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `threads_search_insert` AFTER INSERT ON `threads` BEGIN
  INSERT INTO thread_search(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_search_delete` AFTER DELETE ON `threads` BEGIN
  INSERT INTO thread_search(thread_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_search_update` AFTER UPDATE OF title, body ON `threads` BEGIN
  INSERT INTO thread_search(thread_search, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO thread_search(rowid, title, body) VALUES (new.id, new.title, new.body);
END;

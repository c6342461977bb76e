-- Hand-written: drizzle-kit cannot express FTS5 virtual tables or triggers.
-- An external-content FTS5 index over products, kept in sync by triggers so that every
-- write path (API, imports, seeding) makes a product searchable in the same statement.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	title,
	description,
	category,
	content='products',
	content_rowid='seq',
	tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO products_fts(rowid, title, description, category)
	VALUES (new.seq, new.title, new.description, new.category);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
	INSERT INTO products_fts(products_fts, rowid, title, description, category)
	VALUES ('delete', old.seq, old.title, old.description, old.category);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF title, description, category ON `products` BEGIN
	INSERT INTO products_fts(products_fts, rowid, title, description, category)
	VALUES ('delete', old.seq, old.title, old.description, old.category);
	INSERT INTO products_fts(rowid, title, description, category)
	VALUES (new.seq, new.title, new.description, new.category);
END;

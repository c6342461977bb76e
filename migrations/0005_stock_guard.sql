-- Hand-written: drizzle-kit cannot express triggers.
-- Stock can never go below zero. Reserving inventory decrements stock inside the saga's D1 batch; when
-- two orders race for the last unit, the second decrement aborts its whole batch, so exactly one wins.
CREATE TRIGGER `products_stock_never_negative` BEFORE UPDATE OF stock ON `products`
WHEN NEW.stock < 0 BEGIN
	SELECT RAISE(ABORT, 'insufficient_stock');
END;

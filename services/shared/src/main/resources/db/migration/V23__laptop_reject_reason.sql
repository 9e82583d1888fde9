-- Laptops and laptop GPUs get their own reject reason: they are not cards, and an operator counting what a source
-- yields wants them apart from accessories and whole computers (not_a_gpu).
ALTER TABLE rejected_listings DROP CONSTRAINT rejected_listings_reason_check;
ALTER TABLE rejected_listings ADD CONSTRAINT rejected_listings_reason_check
    CHECK (reason IN ('not_a_gpu', 'laptop', 'unknown_model', 'price_outlier', 'suspicious', 'duplicate'));

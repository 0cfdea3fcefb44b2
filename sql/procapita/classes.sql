-- PC-5 all classes of configured schools; the platform checks their dates (and a placement must
-- find its class even when the class has ended).
-- Parameters: @schoolIds nvarchar(max) (comma-separated).
SELECT
  c.class_id AS classId,
  c.school_id AS schoolId,
  c.class_name AS className,
  c.start_date AS startDate,
  c.end_date AS endDate
FROM integration.pc_class AS c
WHERE c.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
